using NspawnNative.Interop.Systemd;
using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Tests.Dbus;

/// <summary>The systemd1 proxy's messages and job waiting, against a fake systemd on a private dbus-daemon.</summary>
public sealed class SystemdManagerTests
{
    private const string JobPath = "/org/freedesktop/systemd1/job/42";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunJob_gets_the_jobs_result_whether_JobRemoved_comes_before_or_after_the_reply(bool signalFirst)
    {
        await using var bus = await PrivateBus.StartAsync();
        await using var systemd = await FakeService.StartAsync(bus, SystemdManager.Service, SystemdManager.ObjectPath);
        systemd.OnCall = async c =>
        {
            switch (c.Request.MemberAsString)
            {
                case "Subscribe":
                    FakeService.ReplyEmpty(c);
                    break;
                case "StartUnit":
                    // Another job ends first: the wait must pick its own job's signal.
                    EmitJobRemoved(systemd, 41, "/org/freedesktop/systemd1/job/41", "other.service", "failed");
                    if (signalFirst)
                        EmitJobRemoved(systemd, 42, JobPath, "systemd-nspawn@web.service", "done");
                    FakeService.Reply(c, "o", (ref MessageWriter w) => w.WriteObjectPath(JobPath));
                    if (!signalFirst)
                    {
                        await Task.Delay(200);
                        EmitJobRemoved(systemd, 42, JobPath, "systemd-nspawn@web.service", "done");
                    }
                    break;
                default:
                    c.ReplyUnknownMethodError();
                    break;
            }
        };
        await using var client = await bus.ConnectAsync();
        var manager = new SystemdManager(client);

        var result = await manager.RunJobAsync(ct => manager.StartUnitAsync("systemd-nspawn@web.service", "fail", ct), TimeSpan.FromSeconds(30),
            CancellationToken.None);

        Assert.Equal(new JobResult(42, JobPath, "systemd-nspawn@web.service", "done"), result);
        Assert.True(result.Succeeded);
        Assert.Equal(["Subscribe", "StartUnit"], systemd.Calls.Select(c => c.Member));
    }

    [Fact]
    public async Task RunJob_times_out_when_the_job_never_ends()
    {
        await using var bus = await PrivateBus.StartAsync();
        await using var systemd = await FakeService.StartAsync(bus, SystemdManager.Service, SystemdManager.ObjectPath);
        systemd.OnCall = c =>
        {
            if (c.Request.MemberAsString == "Subscribe")
                FakeService.ReplyEmpty(c);
            else
                FakeService.Reply(c, "o", (ref MessageWriter w) => w.WriteObjectPath(JobPath));
            return ValueTask.CompletedTask;
        };
        await using var client = await bus.ConnectAsync();
        var manager = new SystemdManager(client);

        var e = await Assert.ThrowsAsync<JobTimeoutException>(() =>
            manager.RunJobAsync(ct => manager.StopUnitAsync("x.service", "replace", ct), TimeSpan.FromMilliseconds(300), CancellationToken.None));

        Assert.Contains(JobPath, e.Message);
    }

    [Fact]
    public async Task AddDeviceAllow_sends_DeviceAllow_as_an_array_of_path_and_access()
    {
        await using var bus = await PrivateBus.StartAsync();
        await using var systemd = await FakeService.StartAsync(bus, SystemdManager.Service, SystemdManager.ObjectPath);
        var seen = new List<string>();
        systemd.OnCall = c =>
        {
            var r = c.Request.GetBodyReader();
            seen.Add(r.ReadString());
            seen.Add(r.ReadBool().ToString());
            var end = r.ReadArrayStart(DBusType.Struct);
            while (r.HasNext(end))
            {
                r.AlignStruct();
                seen.Add(r.ReadString());
                var value = r.ReadVariantValue();
                for (int i = 0; i < value.Count; i++)
                    seen.Add($"{value.GetItem(i).GetItem(0).GetString()} {value.GetItem(i).GetItem(1).GetString()}");
            }
            FakeService.ReplyEmpty(c);
            return ValueTask.CompletedTask;
        };
        await using var client = await bus.ConnectAsync();

        await new SystemdManager(client).AddDeviceAllowAsync("systemd-nspawn@web.service",
            [new("/dev/infiniband/uverbs0"), new("char-infiniband_verbs", "rw")], runtime: true, CancellationToken.None);

        Assert.Equal(["systemd-nspawn@web.service", "True", "DeviceAllow", "/dev/infiniband/uverbs0 rwm", "char-infiniband_verbs rw"], seen);
        Assert.Equal("sba(sv)", systemd.Calls.Single().Signature);
    }

    [Theory]
    [InlineData(null, "rwm")]
    [InlineData("/etc/passwd", "rwm")]
    [InlineData("/dev/null", "rwx")]
    public async Task AddDeviceAllow_refuses_an_empty_list_or_a_bad_rule_without_calling(string? path, string access)
    {
        await using var bus = await PrivateBus.StartAsync();
        await using var systemd = await FakeService.StartAsync(bus, SystemdManager.Service, SystemdManager.ObjectPath);
        await using var client = await bus.ConnectAsync();
        DeviceAllowEntry[] entries = path is null ? [] : [new(path, access)];

        await Assert.ThrowsAsync<InvalidInputException>(() =>
            new SystemdManager(client).AddDeviceAllowAsync("systemd-nspawn@web.service", entries, runtime: false, CancellationToken.None));

        Assert.Empty(systemd.Calls);
    }

    [Fact]
    public async Task EnableUnitFiles_reads_the_changes()
    {
        await using var bus = await PrivateBus.StartAsync();
        await using var systemd = await FakeService.StartAsync(bus, SystemdManager.Service, SystemdManager.ObjectPath);
        string[] files = [];
        systemd.OnCall = c =>
        {
            files = c.Request.GetBodyReader().ReadArrayOfString();
            FakeService.Reply(c, "ba(sss)", (ref MessageWriter w) =>
            {
                w.WriteBool(true);
                var a = w.WriteArrayStart(DBusType.Struct);
                w.WriteStructureStart();
                w.WriteString("symlink");
                w.WriteString("/etc/systemd/system/machines.target.wants/systemd-nspawn@web.service");
                w.WriteString("/lib/systemd/system/systemd-nspawn@.service");
                w.WriteArrayEnd(a);
            });
            return ValueTask.CompletedTask;
        };
        await using var client = await bus.ConnectAsync();

        var changes = await new SystemdManager(client).EnableUnitFilesAsync(["machines.target", "systemd-nspawn@web.service"], false, false,
            CancellationToken.None);

        Assert.Equal(["machines.target", "systemd-nspawn@web.service"], files);
        Assert.Equal(new UnitFileChange("symlink", "/etc/systemd/system/machines.target.wants/systemd-nspawn@web.service",
            "/lib/systemd/system/systemd-nspawn@.service"), changes.Single());
    }

    [Fact]
    public async Task NoSuchUnit_becomes_NotFoundException()
    {
        await using var bus = await PrivateBus.StartAsync();
        await using var systemd = await FakeService.StartAsync(bus, SystemdManager.Service, SystemdManager.ObjectPath);
        systemd.OnCall = c =>
        {
            c.ReplyError("org.freedesktop.systemd1.NoSuchUnit", "Unit x.service not loaded.");
            return ValueTask.CompletedTask;
        };
        await using var client = await bus.ConnectAsync();

        var e = await Assert.ThrowsAsync<NotFoundException>(() => new SystemdManager(client).GetUnitAsync("x.service", CancellationToken.None));

        Assert.StartsWith("No unit 'x.service'", e.Message);
    }

    private static void EmitJobRemoved(FakeService systemd, uint id, string job, string unit, string result) =>
        systemd.Emit(SystemdManager.ObjectPath, SystemdManager.Interface, "JobRemoved", "uoss", (ref MessageWriter w) =>
        {
            w.WriteUInt32(id);
            w.WriteObjectPath(job);
            w.WriteString(unit);
            w.WriteString(result);
        });
}
