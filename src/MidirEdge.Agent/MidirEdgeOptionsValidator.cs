using Microsoft.Extensions.Options;
using MidirEdge.Agent.Domain;

namespace MidirEdge.Agent;

/// <summary>Checks each <see cref="MidirEdgeOptions"/> field against its annotations (source-generated).</summary>
[OptionsValidator]
internal sealed partial class MidirEdgeOptionsFields : IValidateOptions<MidirEdgeOptions>;

/// <summary>Checks <see cref="MidirEdgeOptions"/>, naming each key under <c>MidirEdge</c>.</summary>
internal sealed class MidirEdgeOptionsValidator : SettingsValidator<MidirEdgeOptions, MidirEdgeOptionsFields>
{
    protected override string Section(MidirEdgeOptions options) => MidirEdgeOptions.SectionName;
}
