using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace MidirEdge.Agent;

/// <summary>
/// Validates <typeparamref name="TOptions"/>: the checks generated from its annotations (<typeparamref name="TFields"/>, an
/// <see cref="OptionsValidatorAttribute"/> class), then the rules between its fields (<see cref="CheckRules"/>). Every failure
/// is one sentence naming its full key, e.g. <c>MidirEdge:Mqtt:Port must be between 1 and 65535 (got 0).</c>
/// </summary>
/// <typeparam name="TOptions">The options.</typeparam>
/// <typeparam name="TFields">The source-generated validator of the options' annotations.</typeparam>
public abstract class SettingsValidator<TOptions, TFields> : IValidateOptions<TOptions>
    where TOptions : class
    where TFields : IValidateOptions<TOptions>, new()
{
    private readonly TFields _fields = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var section = Section(options);
        var failures = new List<string>();
        // The generated checks say "Member: text"; the key is the section's.
        foreach (var failure in _fields.Validate(name, options).Failures ?? [])
        {
            var colon = failure.IndexOf(": ", StringComparison.Ordinal);
            failures.Add(colon > 0 ? $"{section}:{failure[..colon]} {failure[(colon + 2)..]}" : $"{section}: {failure}");
        }
        CheckRules(options, section, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The configuration section <paramref name="options"/> were bound from, e.g. <c>MidirEdge:Mqtt</c>.</summary>
    protected abstract string Section(TOptions options);

    /// <summary>Adds a sentence to <paramref name="failures"/>, naming keys under <paramref name="section"/>, for each rule between fields that fails.</summary>
    protected virtual void CheckRules(TOptions options, string section, List<string> failures)
    {
    }
}

/// <summary>A setting's allowed range, whose failure says the value: <c>must be between 1 and 65535 (got 0).</c></summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SettingRangeAttribute : RangeAttribute
{
    // The limits as written: RangeAttribute replaces Minimum and Maximum by their parsed values (00:00:00.0010000).
    private readonly string _minimum, _maximum;

    /// <summary>Whole numbers from <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    public SettingRangeAttribute(int minimum, int maximum) : base(minimum, maximum) =>
        (_minimum, _maximum) = (Text(minimum), Text(maximum));

    /// <summary>Numbers from <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    public SettingRangeAttribute(double minimum, double maximum) : base(minimum, maximum) =>
        (_minimum, _maximum) = (Text(minimum), Text(maximum));

    /// <summary>Values of <paramref name="type"/> (a <see cref="long"/>, a <see cref="TimeSpan"/>) from <paramref name="minimum"/> to <paramref name="maximum"/>, written as invariant text.</summary>
    public SettingRangeAttribute(Type type, string minimum, string maximum) : base(type, minimum, maximum)
    {
        (_minimum, _maximum) = (minimum, maximum);
        ParseLimitsInInvariantCulture = true;
        ConvertValueInInvariantCulture = true;
    }

    /// <summary>Why the range is what it is, said after it: <c>because results leave the outbox only when acknowledged</c>.</summary>
    public string? Reason { get; set; }

    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        if (IsValid(value)) return ValidationResult.Success;
        var range = MinimumIsExclusive || MaximumIsExclusive
            ? $"{(MinimumIsExclusive ? "above" : "at least")} {_minimum} and {(MaximumIsExclusive ? "below" : "at most")} {_maximum}"
            : $"between {_minimum} and {_maximum}";
        return Failure(validationContext, $"must be {range}{(Reason is null ? "" : " " + Reason)} (got {Text(value)}).");
    }

    internal static ValidationResult Failure(ValidationContext context, string message) =>
        new(message, context.MemberName is { } member ? [member] : null);

    internal static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
}

/// <summary>
/// A number or duration that must be above zero (or, with <see cref="OrZero"/>, not below it) and finite; its failure says
/// the value: <c>must be positive (got 00:00:00).</c>
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class PositiveAttribute : ValidationAttribute
{
    /// <summary>Zero is allowed too (it turns something off).</summary>
    public bool OrZero { get; set; }

    /// <inheritdoc />
    public override bool IsValid(object? value) => value switch
    {
        null => true,
        TimeSpan span => Allows(span.CompareTo(TimeSpan.Zero)),
        double number => double.IsFinite(number) && Allows(number.CompareTo(0.0)),
        int number => Allows(number.CompareTo(0)),
        long number => Allows(number.CompareTo(0L)),
        _ => throw new InvalidOperationException($"[Positive] does not apply to {value.GetType().Name}."),
    };

    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return IsValid(value) ? ValidationResult.Success
            : SettingRangeAttribute.Failure(validationContext, $"must {(OrZero ? "not be negative" : "be positive")} (got {SettingRangeAttribute.Text(value)}).");
    }

    private bool Allows(int sign) => sign > 0 || (OrZero && sign == 0);
}

/// <summary>A file path (or each of a list of them) that, when given, must name an existing file: <c>names a file that does not exist: 'ca.pem'.</c></summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ExistingFileAttribute : ValidationAttribute
{
    /// <inheritdoc />
    public override bool IsValid(object? value) => Missing(value).Length == 0;

    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return Missing(value) is [_, ..] missing
            ? SettingRangeAttribute.Failure(validationContext, missing.Length == 1
                ? $"names a file that does not exist: '{missing[0]}'."
                : $"names files that do not exist: {string.Join(", ", missing.Select(m => $"'{m}'"))}.")
            : ValidationResult.Success;
    }

    private static string[] Missing(object? value) => value switch
    {
        string path => path.Length > 0 && !File.Exists(path) ? [path] : [],
        IEnumerable paths => [.. paths.OfType<string>().Where(p => !File.Exists(p))],
        _ => [],
    };
}
