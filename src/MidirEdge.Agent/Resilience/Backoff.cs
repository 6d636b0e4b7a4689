using MidirEdge.Agent.Telemetry;
using Polly;
using Polly.Retry;

namespace MidirEdge.Agent.Resilience;

/// <summary>
/// The agent's one retry definition (Polly v8): exponential back-off with jitter from a first delay up to a longest one,
/// on the injected clock, each retry counted in <c>midir_retries_total</c> and handed to the caller to log. MQTT
/// reconnects, serial reopens, cache reopens and adapter restarts all use it.
/// </summary>
internal static class Backoff
{
    /// <summary>
    /// A pipeline that retries <paramref name="plan"/>'s failures that <paramref name="shouldRetry"/> accepts (never a
    /// cancellation of the caller's token) and calls <paramref name="onRetry"/> before each retry (its failure, attempt
    /// number from 0 and delay).
    /// </summary>
    public static ResiliencePipeline Pipeline(RetryPlan plan, Func<Exception, bool> shouldRetry, TimeProvider time, AgentMetrics? metrics,
        Func<OnRetryArguments<object>, ValueTask> onRetry)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e
                    && !(e is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested)
                    && shouldRetry(e)),
                MaxRetryAttempts = plan.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = plan.FirstDelay > TimeSpan.Zero,
                Delay = plan.FirstDelay,
                MaxDelay = plan.MaxDelay,
                OnRetry = args =>
                {
                    metrics?.Retried(plan.Operation);
                    return onRetry(args);
                },
            })
            .Build();
    }
}

/// <summary>What to retry and how: a name for the metrics, the first and longest delays, and how many retries at most.</summary>
/// <param name="Operation">Label of <c>midir_retries_total</c>: <c>mqtt</c>, <c>serial</c>, <c>cache</c>, <c>adapter</c>.</param>
/// <param name="FirstDelay">Delay before the first retry; later ones grow exponentially, with jitter.</param>
/// <param name="MaxDelay">Longest delay.</param>
/// <param name="MaxRetries">Retries before the failure is thrown; by default until the caller's token is cancelled.</param>
internal sealed record RetryPlan(string Operation, TimeSpan FirstDelay, TimeSpan MaxDelay, int MaxRetries = int.MaxValue);
