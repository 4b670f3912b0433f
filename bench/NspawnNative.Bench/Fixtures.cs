namespace NspawnNative.Bench;

/// <summary>The real inputs the unit tests use (interop/NspawnNative.Interop.Tests/Fixtures), found from the
/// benchmark's own location so that BenchmarkDotNet's generated child process finds them too.</summary>
internal static class Fixtures
{
    public static string Folder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "interop", "NspawnNative.Interop.Tests", "Fixtures");
                if (Directory.Exists(candidate))
                    return candidate;
            }
            throw new DirectoryNotFoundException("interop/NspawnNative.Interop.Tests/Fixtures not found above " + AppContext.BaseDirectory);
        }
    }
}
