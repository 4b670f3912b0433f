using NspawnNative.Interop.Userspace;

namespace NspawnNative.Interop.Tests.Userspace;

public class RdmaUserspaceReaderTests
{
    [Fact]
    public void A_debian_root_shows_libibverbs_its_abi_providers_and_owning_packages()
    {
        using var root = CapturedRoot.Debian(44, 34, "mlx5", "rxe");
        var u = RdmaUserspaceReader.Read(root.Path);

        Assert.NotNull(u.Libibverbs);
        Assert.Equal("/usr/lib/x86_64-linux-gnu/libibverbs.so.1.14.44.0", u.Libibverbs.Path);
        Assert.Equal("1.14.44.0", u.Libibverbs.Version);
        Assert.Equal(44, u.Libibverbs.RdmaCoreMajor);
        Assert.Equal(34, u.Libibverbs.ProviderAbi);
        Assert.Equal(new InstalledPackage("libibverbs1", "44.0-2", "amd64"), u.Libibverbs.Package);
        Assert.Equal(["mlx5", "rxe"], u.Providers.Select(p => p.Name));
        var rxe = u.Provider("rxe")!;
        Assert.Equal("/etc/libibverbs.d/rxe.driver", rxe.DriverFile);
        Assert.Equal("/usr/lib/x86_64-linux-gnu/libibverbs/librxe-rdmav34.so", rxe.Library);
        Assert.Equal(34, rxe.Abi);
        Assert.Equal("ibverbs-providers", rxe.Package?.Name);
        Assert.True(u.Databases.Dpkg);
        Assert.Null(u.Databases.Rpm);
        // rdma-core is only config-files: not installed.
        Assert.Equal(["libibverbs1", "ibverbs-providers"], u.Packages.Select(p => p.Name));
    }

    [Fact]
    public void A_provider_without_its_library_has_no_library_and_a_dangling_link_counts_as_missing()
    {
        using var root = CapturedRoot.Debian(44, 34, "mlx5", "rxe");
        root.Delete($"{CapturedRoot.Multiarch}/libibverbs/librxe-rdmav34.so");
        root.Delete($"{CapturedRoot.Multiarch}/libibverbs/libmlx5-rdmav34.so");
        root.Link($"{CapturedRoot.Multiarch}/libibverbs/libmlx5-rdmav34.so", "../libmlx5.so.1.24.44.0");
        var u = RdmaUserspaceReader.Read(root.Path);

        Assert.Null(u.Provider("rxe")!.Library);
        Assert.Equal("/etc/libibverbs.d/rxe.driver", u.Provider("rxe")!.DriverFile);
        Assert.Null(u.Provider("mlx5")!.Library);
    }

    [Fact]
    public void Absolute_symlinks_resolve_inside_the_root_not_on_this_host()
    {
        using var root = new CapturedRoot();
        root.Write("/usr/lib64/libibverbs.so.1.11.32.0", "IBVERBS_PRIVATE_25");
        root.Link("/usr/lib64/libibverbs.so.1", "/usr/lib64/libibverbs.so.1.11.32.0");
        root.Write("/var/lib/rpm/rpmdb.sqlite");
        var u = RdmaUserspaceReader.Read(root.Path);

        Assert.Equal("1.11.32.0", u.Libibverbs?.Version);
        Assert.Equal(25, u.Libibverbs?.ProviderAbi);
        Assert.False(u.Databases.Dpkg);
        Assert.Equal("/var/lib/rpm/rpmdb.sqlite", u.Databases.Rpm);
        Assert.False(u.Databases.RpmRead);
    }

    [Fact]
    public void An_empty_root_has_nothing()
    {
        using var root = new CapturedRoot();
        var u = RdmaUserspaceReader.Read(root.Path);
        Assert.Null(u.Libibverbs);
        Assert.Empty(u.Providers);
        Assert.Null(u.Vendor);
    }

    [Fact]
    public void A_missing_root_is_refused()
    {
        Assert.Throws<InvalidInputException>(() => RdmaUserspaceReader.Read("/nonexistent/nn-root"));
    }

    [Theory]
    [InlineData("librxe-rdmav34.so", "rxe", 34)]
    [InlineData("libhfi1verbs-rdmav25.so", "hfi1verbs", 25)]
    [InlineData("libvmw_pvrdma-rdmav34.so", "vmw_pvrdma", 34)]
    public void Provider_file_names_give_the_name_and_abi(string file, string name, int abi)
    {
        Assert.Equal((name, abi), RdmaUserspaceReader.ParseProviderFileName(file));
    }

    [Theory]
    [InlineData("librxe.so")]
    [InlineData("librxe-rdmav34.so.1")]
    public void Other_file_names_are_no_providers(string file)
    {
        Assert.Null(RdmaUserspaceReader.ParseProviderFileName(file));
    }

    [Theory]
    [InlineData("driver mlx5\n", "mlx5")]
    [InlineData("# comment\ndriver   /usr/lib64/libibverbs/libmlx4\n", "libmlx4")]
    [InlineData("# nothing\n", null)]
    public void Driver_files_name_their_provider(string text, string? name)
    {
        Assert.Equal(name, RdmaUserspaceReader.ParseDriverFile(text));
    }

    [Theory]
    [InlineData("#!/bin/bash\nif [ \"X$1\" == \"X-s\" ]; then echo MLNX_OFED_LINUX-24.01-0.3.3.1:; exit 0; fi\nif [ \"X$1\" == \"X-n\" ]; then echo 24.01-0.3.3.1; exit 0; fi\n", "24.01-0.3.3.1")]
    [InlineData("#!/bin/bash\necho MLNX_OFED_LINUX-5.8-1.0.1.1 (OFED-5.8-1.0.1):\n", "5.8-1.0.1.1")]
    [InlineData("#!/bin/bash\necho hello\n", null)]
    public void Ofed_info_scripts_are_read_as_text(string script, string? version)
    {
        Assert.Equal(version, RdmaUserspaceReader.ParseOfedInfo(script));
    }

    [Fact]
    public void A_vendor_stack_is_found_from_ofed_info()
    {
        using var root = CapturedRoot.Debian(2410, 34, "mlx5");
        root.Write("/usr/bin/ofed_info", "#!/bin/bash\nif [ \"X$1\" == \"X-n\" ]; then echo 24.10-1.1.4.0; exit 0; fi\n");
        Assert.Equal(new VendorStack("MLNX_OFED", "24.10-1.1.4.0", "/usr/bin/ofed_info"), RdmaUserspaceReader.Read(root.Path).Vendor);
    }

    [Fact]
    public void The_status_parser_keeps_installed_packages_only()
    {
        var db = DpkgDatabase.ParseStatus("Package: a\nStatus: install ok installed\nVersion: 1\n\nPackage: b\nStatus: purge ok not-installed\nVersion: 2\n");
        Assert.Equal(["a"], db.Keys);
    }
}
