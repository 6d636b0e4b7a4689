using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Loader;
using static ArchUnitNET.Fluent.ArchRuleDefinition;
using static ArchUnitNET.Fluent.Slices.SliceRuleDefinition;

namespace MidirEdge.Agent.Tests;

/// <summary>
/// The agent's folders as docs/architecture.md draws them, read from the compiled assembly's type dependencies
/// (signatures, fields, method bodies): no cycle between its namespaces, a domain that uses nothing else of the agent,
/// and the MQTT wire contracts used only by the composition root and the delivery.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Architecture Agent = new ArchLoader().LoadAssemblies(typeof(AgentHost).Assembly).Build();

    /// <summary>No namespace of the agent (Adapters, Cache, Pipeline, …) depends, through others, on itself.</summary>
    [Fact]
    public void Agent_namespaces_have_no_cycle() =>
        AssertHolds(Slices().Matching("MidirEdge.Agent.(*)..").Should().BeFreeOfCycles());

    /// <summary>Domain/ depends on no other part of the agent, the composition root included.</summary>
    [Fact]
    public void Domain_uses_nothing_else_of_the_agent() =>
        AssertHolds(Types().That().ResideInNamespace("MidirEdge.Agent.Domain")
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^MidirEdge\.Agent(\.(?!Domain$)[\w.]+)?$")));

    /// <summary>Mqtt/ is a leaf: only the composition root, Delivery/ and Fleet/ (which listens on the agent's connection) use it.</summary>
    [Fact]
    public void Only_the_composition_root_delivery_and_fleet_use_mqtt() =>
        AssertHolds(Types().That().ResideInNamespaceMatching(@"^MidirEdge\.Agent\.(?!Mqtt$|Delivery$|Fleet$)[\w.]+$")
            .Should().NotDependOnAny(Types().That().ResideInNamespace("MidirEdge.Agent.Mqtt")));

    private static void AssertHolds(IArchRule rule)
    {
        var violations = rule.Evaluate(Agent).Where(r => !r.Passed).Select(r => r.Description).ToArray();
        Assert.True(violations.Length == 0, string.Join("\n", violations));
    }
}
