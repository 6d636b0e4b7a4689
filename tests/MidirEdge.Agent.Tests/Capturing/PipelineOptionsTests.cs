using MidirEdge.Agent.Capturing;

namespace MidirEdge.Agent.Tests.Capturing;

/// <summary>Pipeline settings out of range fail with one line naming the key.</summary>
public sealed class PipelineOptionsTests
{
    /// <summary>Each field outside its range is named by its key; a longest restart delay under the first is caught too.</summary>
    [Fact]
    public void Out_of_range_settings_name_their_keys()
    {
        var options = new PipelineOptions { Capacity = 0, AdapterFaultedAfter = 0, AdapterRestartMinDelay = TimeSpan.FromSeconds(5), AdapterRestartMaxDelay = TimeSpan.FromSeconds(1) };

        var failures = new PipelineOptionsValidator().Validate(null, options).Failures!;

        Assert.Equal(["MidirEdge:Pipeline:Capacity must be between 1 and 100000 (got 0).",
            "MidirEdge:Pipeline:AdapterFaultedAfter must be between 1 and 1000 (got 0).",
            "MidirEdge:Pipeline:AdapterRestartMaxDelay must not be shorter than AdapterRestartMinDelay (got 00:00:01)."], failures);
    }
}
