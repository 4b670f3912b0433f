namespace NspawnNative.Interop.Workflows;

/// <summary>Whether the host offers huge pages to bind into a machine.</summary>
public static class HugepagesProbe
{
    /// <summary>True when <c>/dev/hugepages</c> exists on the host (under the /dev root).</summary>
    /// <param name="paths">The roots.</param>
    // TODO (config): a directory is not proof of a hugetlbfs mount; swap in the Posix area's mount check once it exists.
    public static bool IsAvailable(HostPaths paths) => Directory.Exists(paths.UnderDev("/dev/hugepages"));
}
