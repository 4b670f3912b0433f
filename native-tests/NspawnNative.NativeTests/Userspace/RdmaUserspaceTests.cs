using System.Text.Json;

namespace NspawnNative.NativeTests.Userspace;

/// <summary>
/// <c>container rdma-userspace NAME</c> on a copy of the container template, which carries rdma-core and
/// ibverbs-providers at the guest's versions; dpkg-query and ls are the oracles.
/// </summary>
public sealed class RdmaUserspaceTests
{
    private const string Multiarch = "/usr/lib/x86_64-linux-gnu";

    [Fact]
    public async Task TheTemplateMatchesTheHostAndTheCheckPasses()
    {
        Guest.Require();
        var root = await Guest.CreateMachineImageAsync("us-match");
        try
        {
            var r = await Guest.ShellAsync("container", "rdma-userspace", "us-match", "--json");
            Assert.True(r.ExitCode == 0, r.ToString());
            using var doc = JsonDocument.Parse(r.StdOut);
            var top = doc.RootElement;
            Assert.True(top.GetProperty("ok").GetBoolean());

            foreach (var (side, admindir) in new[] { ("host", "/var/lib/dpkg"), ("container", $"{root}/var/lib/dpkg") })
            {
                var oracle = await Guest.RunAsync("dpkg-query", "--admindir", admindir, "-W", "-f", "${Version}", "libibverbs1");
                Assert.True(oracle.ExitCode == 0, oracle.ToString());
                var verbs = top.GetProperty(side).GetProperty("libibverbs");
                Assert.Equal(oracle.StdOut.Trim(), verbs.GetProperty("package").GetProperty("version").GetString());
            }

            // The provider ABI is the NN of the rxe library's name, on both sides.
            var ls = await Guest.ShAsync($"ls {Multiarch}/libibverbs/ | sed -n 's/^librxe-rdmav\\([0-9]*\\)\\.so$/\\1/p'");
            var abi = int.Parse(ls.StdOut.Trim());
            Assert.Equal(abi, top.GetProperty("host").GetProperty("libibverbs").GetProperty("provider_abi").GetInt32());
            Assert.Equal(abi, top.GetProperty("container").GetProperty("libibverbs").GetProperty("provider_abi").GetInt32());

            var rxe = top.GetProperty("hcas").EnumerateArray().Single(h => h.GetProperty("hca").GetProperty("device").GetString() == Guest.RdmaDevice);
            Assert.Equal("rxe", rxe.GetProperty("hca").GetProperty("provider").GetString());
            Assert.Equal($"{Multiarch}/libibverbs/librxe-rdmav{abi}.so", rxe.GetProperty("container").GetProperty("library").GetString());
            var providersVersion = await Guest.RunAsync("dpkg-query", "-W", "-f", "${Version}", "ibverbs-providers");
            Assert.Equal(providersVersion.StdOut.Trim(), rxe.GetProperty("container").GetProperty("package").GetProperty("version").GetString());
            Assert.DoesNotContain(top.GetProperty("checks").EnumerateArray(), c => c.GetProperty("status").GetString() == "Fail");
        }
        finally
        {
            await Guest.ShAsync($"rm -rf '{root}'");
        }
    }

    [Fact]
    public async Task RemovingTheRxeProviderFromTheContainerFailsNamingIt()
    {
        Guest.Require();
        var root = await Guest.CreateMachineImageAsync("us-norxe");
        try
        {
            var rm = await Guest.ShAsync($"rm -v {root}{Multiarch}/libibverbs/librxe-rdmav*.so");
            Assert.True(rm.ExitCode == 0 && rm.StdOut.Contains("librxe-rdmav"), rm.ToString());

            var r = await Guest.ShellAsync("container", "rdma-userspace", "us-norxe");
            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.Contains("no rxe provider library (librxe-rdmav*.so)", r.StdErr);
            Assert.Contains($"'{Guest.RdmaDevice}'", r.StdErr);
            Assert.Contains("FAIL provider rxe:", r.StdOut);

            var json = await Guest.ShellAsync("container", "rdma-userspace", "us-norxe", "--json");
            Assert.Equal(1, json.ExitCode);
            using var doc = JsonDocument.Parse(json.StdOut);
            Assert.False(doc.RootElement.GetProperty("ok").GetBoolean());
            var fail = doc.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("check").GetString() == "userspace.provider rxe");
            Assert.Equal("Fail", fail.GetProperty("status").GetString());
        }
        finally
        {
            await Guest.ShAsync($"rm -rf '{root}'");
        }
    }
}
