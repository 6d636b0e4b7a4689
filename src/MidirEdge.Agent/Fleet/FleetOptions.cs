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
    [TopicName]
    public string CommandTopic { get; set; } = "midir/{site}/{instrument}/cmd";

    /// <summary>Retained topic of the models this instrument should run.</summary>
    [TopicName]
    public string DesiredTopic { get; set; } = "midir/{site}/{instrument}/models/desired";
}

/// <summary>Checks each <see cref="FleetOptions"/> field against its annotations (source-generated).</summary>
[OptionsValidator]
internal sealed partial class FleetOptionsFields : IValidateOptions<FleetOptions>;

/// <summary>Checks <see cref="FleetOptions"/> on start: its fields, and, when on, an external broker and a trusted key to verify bundles with.</summary>
internal sealed class FleetOptionsValidator(IOptions<ModelsOptions> models, IOptions<MqttOptions> mqtt) : SettingsValidator<FleetOptions, FleetOptionsFields>
{
    protected override string Section(FleetOptions options) => FleetOptions.SectionName;

    protected override void CheckRules(FleetOptions options, string section, List<string> failures)
    {
        if (!options.Enabled) return;
        if (models.Value.TrustedKeys.Count == 0)
            failures.Add($"{section}:Enabled is true but {ModelsOptions.SectionName}:TrustedKeys lists no key; only signed bundles are accepted over MQTT.");
        if (mqtt.Value.UsesEmbeddedBroker)
            failures.Add($"{section}:Enabled is true but {MqttOptions.SectionName}:Host is empty; fleet commands come through an external broker.");
    }
}
