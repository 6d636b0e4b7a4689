using Microsoft.Extensions.Options;
using MidirEdge.Agent.ModelUpdates;
using MidirEdge.Agent.Mqtt;

namespace MidirEdge.Agent.Fleet;

/// <summary>Model deployment over MQTT (section <c>MidirEdge:Fleet</c>): command topics and the desired models; off by default.</summary>
public sealed class FleetOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "MidirEdge:Fleet";

    /// <summary>Whether the agent listens for commands and desired models on its broker.</summary>
    public bool Enabled { get; set; }

    /// <summary>Parent of the command topics (<c>…/models/install</c>, <c>…/models/rollback</c>, <c>…/status</c>); <c>{site}</c> and <c>{instrument}</c> are substituted.</summary>
    public string CommandTopic { get; set; } = "midir/{site}/{instrument}/cmd";

    /// <summary>Retained topic of the models this instrument should run.</summary>
    public string DesiredTopic { get; set; } = "midir/{site}/{instrument}/models/desired";
}

/// <summary>Checks <see cref="FleetOptions"/> on start, naming the key at fault: commands need an external broker and a trusted key.</summary>
internal sealed class FleetOptionsValidator(IOptions<ModelsOptions> models, IOptions<MqttOptions> mqtt) : IValidateOptions<FleetOptions>
{
    public ValidateOptionsResult Validate(string? name, FleetOptions options)
    {
        if (!options.Enabled) return ValidateOptionsResult.Success;
        var failures = new List<string>();
        foreach (var (topic, key) in new[] { (options.CommandTopic, "CommandTopic"), (options.DesiredTopic, "DesiredTopic") })
        {
            if (string.IsNullOrWhiteSpace(topic))
                failures.Add($"{FleetOptions.SectionName}:{key} must not be empty.");
            else if (topic.AsSpan().IndexOfAny("+#\0") >= 0)
                failures.Add($"{FleetOptions.SectionName}:{key} must not contain the wildcards '+' or '#' (got '{topic}').");
        }
        if (models.Value.TrustedKeys.Count == 0)
            failures.Add($"{FleetOptions.SectionName}:Enabled is true but {ModelsOptions.SectionName}:TrustedKeys lists no key; only signed bundles are accepted over MQTT.");
        if (mqtt.Value.UsesEmbeddedBroker)
            failures.Add($"{FleetOptions.SectionName}:Enabled is true but {MqttOptions.SectionName}:Host is empty; fleet commands come through an external broker.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
