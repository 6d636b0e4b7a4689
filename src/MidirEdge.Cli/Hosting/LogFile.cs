using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MidirEdge.Agent;
using Serilog;
using Serilog.Extensions.Logging;

namespace MidirEdge.Cli.Hosting;

/// <summary>Settings of the optional log file (section <c>MidirEdge:LogFile</c>), for boxes without journald or the Event Log.</summary>
internal sealed class LogFileOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "MidirEdge:LogFile";

    /// <summary>The log file; empty (the default) writes none. Rolled files get a number before the extension.</summary>
    public string Path { get; set; } = "";

    /// <summary>Size at which the file is closed and a new one started.</summary>
    [SettingRange(1, 1024)]
    public int MaxMegabytes { get; set; } = 10;

    /// <summary>Files kept, the current one included; older ones are deleted.</summary>
    [SettingRange(1, 1000)]
    public int RetainedFiles { get; set; } = 10;
}

/// <summary>Checks each <see cref="LogFileOptions"/> field against its annotations (source-generated).</summary>
[OptionsValidator]
internal sealed partial class LogFileOptionsFields : IValidateOptions<LogFileOptions>;

/// <summary>Checks <see cref="LogFileOptions"/>, naming each key under <c>MidirEdge:LogFile</c>.</summary>
internal sealed class LogFileOptionsValidator : SettingsValidator<LogFileOptions, LogFileOptionsFields>
{
    protected override string Section(LogFileOptions options) => LogFileOptions.SectionName;
}

/// <summary>Adds the rolling log file when <c>MidirEdge:LogFile:Path</c> is set.</summary>
internal static class LogFile
{
    /// <summary>
    /// Writes every log line at the configured levels to <c>MidirEdge:LogFile:Path</c> as well, rolled by size and kept to a
    /// number of files (Serilog's file sink). Throws <see cref="OptionsValidationException"/> naming the key for a bad value.
    /// </summary>
    public static void AddLogFile(this HostApplicationBuilder builder)
    {
        var options = new LogFileOptions();
        builder.Configuration.GetSection(LogFileOptions.SectionName).Bind(options);
        if (options.Path.Length == 0) return;
        var check = new LogFileOptionsValidator().Validate(null, options);
        if (check.Failed)
            throw new OptionsValidationException(LogFileOptions.SectionName, typeof(LogFileOptions), check.Failures);
        builder.AddSerilogFile(options);
    }

    // Apart, so that Serilog's three assemblies load only when a log file is configured (not at every start).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddSerilogFile(this HostApplicationBuilder builder, LogFileOptions options)
    {
        var logger = new LoggerConfiguration()
            .MinimumLevel.Verbose() // the host's Logging:LogLevel filters decide, as for the console
            .WriteTo.File(
                System.IO.Path.GetFullPath(options.Path),
                outputTemplate: "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}",
                fileSizeLimitBytes: options.MaxMegabytes * 1024L * 1024L,
                rollOnFileSizeLimit: true,
                retainedFileCountLimit: options.RetainedFiles,
                shared: false)
            .CreateLogger();
        builder.Logging.AddProvider(new SerilogLoggerProvider(logger, dispose: true));
    }
}
