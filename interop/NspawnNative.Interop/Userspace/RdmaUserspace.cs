namespace NspawnNative.Interop.Userspace;

/// <summary>The libibverbs library a root has.</summary>
/// <param name="Path">The real file <c>libibverbs.so.1</c> resolves to, as seen inside the root.</param>
/// <param name="Version">The version in the file name (<c>1.14.44.0</c> for <c>libibverbs.so.1.14.44.0</c>), or null.</param>
/// <param name="RdmaCoreMajor">The rdma-core release the library comes from (44 for 1.14.44.0), or null when unknown.</param>
/// <param name="ProviderAbi">The private provider ABI it loads (the NN of <c>lib*-rdmavNN.so</c>), read from its
/// <c>IBVERBS_PRIVATE_NN</c> symbol version, or null when not found.</param>
/// <param name="Package">The package that owns the file, or null when no package database names it.</param>
public sealed record LibibverbsInfo(string Path, string? Version, int? RdmaCoreMajor, int? ProviderAbi, InstalledPackage? Package);

/// <summary>One provider (userspace driver) libibverbs can load.</summary>
/// <param name="Name">The provider name, for example <c>mlx5</c> or <c>rxe</c>.</param>
/// <param name="DriverFile">The <c>/etc/libibverbs.d/NAME.driver</c> file naming it, or null when there is none.</param>
/// <param name="Library">The <c>libNAME-rdmavNN.so</c> library (path inside the root), or null when there is none.</param>
/// <param name="Abi">The NN of the library's file name, or null when there is no library.</param>
/// <param name="Package">The package that owns the library, or null.</param>
public sealed record ProviderInfo(string Name, string? DriverFile, string? Library, int? Abi, InstalledPackage? Package);

/// <summary>A vendor RDMA stack installed over the distribution's packages.</summary>
/// <param name="Name">The stack, for example <c>MLNX_OFED</c>.</param>
/// <param name="Version">Its version, for example <c>24.01-0.3.3</c>.</param>
/// <param name="Source">The file the version was read from (inside the root).</param>
public sealed record VendorStack(string Name, string Version, string Source);

/// <summary>Which package databases a root has and whether they were read.</summary>
/// <param name="Dpkg">True when <c>var/lib/dpkg/status</c> was found and read.</param>
/// <param name="Rpm">The rpm database file found (inside the root), or null when there is none.</param>
/// <param name="RpmRead">True when the rpm database was read; false when it was only detected.</param>
public sealed record PackageDatabases(bool Dpkg, string? Rpm, bool RpmRead);

/// <summary>The RDMA userspace of one root directory (the host's or a container's), read from files only.</summary>
/// <param name="Root">The root directory read.</param>
/// <param name="Libibverbs">libibverbs, or null when the root has none.</param>
/// <param name="Providers">The providers found, by name.</param>
/// <param name="Packages">The RDMA packages installed (rdma-core, libibverbs1, ibverbs-providers, ...).</param>
/// <param name="Vendor">A vendor stack, or null.</param>
/// <param name="Databases">The package databases found.</param>
public sealed record RdmaUserspace(
    string Root,
    LibibverbsInfo? Libibverbs,
    IReadOnlyList<ProviderInfo> Providers,
    IReadOnlyList<InstalledPackage> Packages,
    VendorStack? Vendor,
    PackageDatabases Databases)
{
    /// <summary>The provider of that name, or null.</summary>
    /// <param name="name">A provider name such as <c>rxe</c>.</param>
    public ProviderInfo? Provider(string name) => Providers.FirstOrDefault(p => p.Name == name);
}
