namespace NspawnNative.Interop.Tests.Workflows;

/// <summary>A temporary directory used as the filesystem root (--root) of one test.</summary>
internal sealed class TempRoot : IDisposable
{
    public TempRoot() => Root = Directory.CreateTempSubdirectory("nn-config-").FullName;

    public string Root { get; }

    public HostPaths Paths => new(Root, Root + "/sys", Root + "/dev");

    public string PathOf(string absolute) => Root + absolute;

    public void Write(string absolute, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(absolute))!);
        File.WriteAllText(PathOf(absolute), content);
    }

    public string? Read(string absolute) => File.Exists(PathOf(absolute)) ? File.ReadAllText(PathOf(absolute)) : null;

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
