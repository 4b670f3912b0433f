namespace NspawnNative.Interop.Tests.Rdma;

/// <summary>A temporary directory holding a sysfs root (<c>sys</c>) and a /dev root (<c>dev</c>), filled from
/// literal file text.</summary>
internal sealed class TempTree : IDisposable
{
    public TempTree()
    {
        Dir = Path.Combine(Path.GetTempPath(), "nn-rdma-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Sys);
        Directory.CreateDirectory(Dev);
    }

    public string Dir { get; }

    public string Sys => Path.Combine(Dir, "sys");

    public string Dev => Path.Combine(Dir, "dev");

    public HostPaths Paths => new(Path.Combine(Dir, "root"), Sys, Dev);

    /// <summary>Writes <paramref name="text"/> to a path relative to the tree, creating directories.</summary>
    public TempTree File(string relative, string text)
    {
        var path = Path.Combine(Dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, text);
        return this;
    }

    public TempTree Link(string relative, string target)
    {
        var path = Path.Combine(Dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.CreateSymbolicLink(path, target);
        return this;
    }

    public TempTree Mkdir(string relative)
    {
        Directory.CreateDirectory(Path.Combine(Dir, relative));
        return this;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
