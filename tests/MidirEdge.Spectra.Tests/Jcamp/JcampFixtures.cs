using MidirEdge.Tests;

namespace MidirEdge.Spectra.Tests.Jcamp;

/// <summary>The JCAMP-DX fixtures under tests/fixtures/data/jcamp, for the tests that run on every one of them.</summary>
internal static class JcampFixtures
{
    private static readonly string[] Folders = ["ir", "lancashire", "misc", "official"];

    /// <summary>Every fixture as folder/name, relative to tests/fixtures/data/jcamp.</summary>
    public static IEnumerable<string> Names() =>
        Folders.SelectMany(folder => Fixtures.Files($"data/jcamp/{folder}").Select(path => $"{folder}/{Path.GetFileName(path)}"));
}
