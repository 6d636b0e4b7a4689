using LiteDB;

namespace MidirEdge.Agent.Capturing;

/// <summary>Whether a failure while processing a capture may pass by itself (try again later) or would recur (quarantine).</summary>
internal static class Failures
{
    /// <summary>
    /// I/O on the cache or disk (a full or vanished drive, a locked file) passes: the capture is tried again later. Anything
    /// else thrown for one spectrum (preprocessing, features, a model) comes from its data and would recur on every try.
    /// </summary>
    public static bool IsTransient(Exception exception) =>
        exception is IOException or UnauthorizedAccessException or LiteException or TimeoutException;
}
