using NspawnNative.Interop.Systemd;
using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Tests.Dbus;

/// <summary>The machine1 proxies' messages and error mapping, against a fake machined on a private dbus-daemon.</summary>
public sealed class MachineManagerTests
{
    [Fact]
    public async Task ListMachines_reads_every_row_of_the_reply()
    {
        await using var bus = await PrivateBus.StartAsync();
        await using var machined = await FakeService.StartAsync(bus, MachineManager.Service, MachineManager.ObjectPath);
        machined.OnCall = c =>
        {
            FakeService.Reply(c, "a(ssso)", (ref MessageWriter w) =>
            {
                var a = w.WriteArrayStart(DBusType.Struct);
                foreach (var (name, path) in new[] { ("web", "/org/freedesktop/machine1/machine/web"), ("db", "/org/freedesktop/machine1/machine/db") })
                {
                    w.WriteStructureStart();
                    w.WriteString(name);
                    w.WriteString("container");
                    w.WriteString("systemd-nspawn");
                    w.WriteObjectPath(path);
                }
                w.WriteArrayEnd(a);
            });
            return ValueTask.CompletedTask;
        };
        await using var client = await bus.ConnectAsync();

        var list = await new MachineManager(client).ListMachinesAsync(CancellationToken.None);

        Assert.Equal(
        [
            new MachineListing("web", "container", "systemd-nspawn", "/org/freedesktop/machine1/machine/web"),
            new MachineListing("db", "container", "systemd-nspawn", "/org/freedesktop/machine1/machine/db"),
        ], list);
        Assert.Equal([new ReceivedCall(MachineManager.Interface, "ListMachines", "")], machined.Calls);
    }

    [Fact]
    public async Task KillMachine_sends_the_name_whom_and_signal()
    {
        await using var bus = await PrivateBus.StartAsync();
        await using var machined = await FakeService.StartAsync(bus, MachineManager.Service, MachineManager.ObjectPath);
        var args = new List<string>();
        machined.OnCall = c =>
        {
            var r = c.Request.GetBodyReader();
            args.Add(r.ReadString());
            args.Add(r.ReadString());
            args.Add(r.ReadInt32().ToString());
            FakeService.ReplyEmpty(c);
            return ValueTask.CompletedTask;
        };
        await using var client = await bus.ConnectAsync();

        await new MachineManager(client).KillMachineAsync("web", KillWhom.Leader, MachineManager.PowerOffSignal, CancellationToken.None);

        Assert.Equal(["web", "leader", "38"], args);
        Assert.Equal("ssi", machined.Calls.Single().Signature);
    }

    [Fact]
    public async Task BindMountMachine_uses_the_source_as_destination_when_none_is_given()
    {
        await using var bus = await PrivateBus.StartAsync();
        await using var machined = await FakeService.StartAsync(bus, MachineManager.Service, MachineManager.ObjectPath);
        string body = "";
        machined.OnCall = c =>
        {
            var r = c.Request.GetBodyReader();
            body = $"{r.ReadString()} {r.ReadString()} {r.ReadString()} {r.ReadBool()} {r.ReadBool()}";
            FakeService.ReplyEmpty(c);
            return ValueTask.CompletedTask;
        };
        await using var client = await bus.ConnectAsync();

        await new MachineManager(client).BindMountMachineAsync("web", "/srv/data", null, readOnly: true, mkdir: false, CancellationToken.None);

        Assert.Equal("web /srv/data /srv/data True False", body);
    }

    [Fact]
    public async Task CopyFromMachine_sends_name_source_and_destination()
    {
        await using var bus = await PrivateBus.StartAsync();
        await using var machined = await FakeService.StartAsync(bus, MachineManager.Service, MachineManager.ObjectPath);
        string[] args = [];
        machined.OnCall = c =>
        {
            var r = c.Request.GetBodyReader();
            args = [r.ReadString(), r.ReadString(), r.ReadString()];
            FakeService.ReplyEmpty(c);
            return ValueTask.CompletedTask;
        };
        await using var client = await bus.ConnectAsync();

        await new MachineManager(client).CopyFromMachineAsync("web", "/etc/hostname", "/tmp/h", CancellationToken.None);

        Assert.Equal(["web", "/etc/hostname", "/tmp/h"], args);
        Assert.Equal(new ReceivedCall(MachineManager.Interface, "CopyFromMachine", "sss"), machined.Calls.Single());
    }

    [Fact]
    public async Task OpenMachineShell_returns_the_pty_handle_and_its_path()
    {
        await using var bus = await PrivateBus.StartAsync();
        await using var machined = await FakeService.StartAsync(bus, MachineManager.Service, MachineManager.ObjectPath);
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "pty stand-in");
        string[] argv = [];
        machined.OnCall = c =>
        {
            var r = c.Request.GetBodyReader();
            r.ReadString();
            r.ReadString();
            r.ReadString();
            argv = r.ReadArrayOfString();
            using var handle = File.OpenHandle(file);
            FakeService.Reply(c, "hs", (ref MessageWriter w) =>
            {
                w.WriteHandle(handle);
                w.WriteString("/dev/pts/7");
            });
            return ValueTask.CompletedTask;
        };
        await using var client = await bus.ConnectAsync();

        var shell = await new MachineManager(client).OpenMachineShellAsync("web", "", ["/bin/echo", "hi"], [], CancellationToken.None);
        using var pty = shell.Pty;

        Assert.Equal("/dev/pts/7", shell.PtyPath);
        Assert.Equal(["/bin/echo", "hi"], argv);
        var buffer = new byte[64];
        int n = RandomAccess.Read(pty, buffer, 0);
        Assert.Equal("pty stand-in", System.Text.Encoding.UTF8.GetString(buffer, 0, n));
        File.Delete(file);
    }

    [Theory]
    [InlineData("org.freedesktop.machine1.NoSuchMachine", "No machine 'web' known", typeof(NotFoundException), "No machine 'web'")]
    [InlineData("org.freedesktop.DBus.Error.AccessDenied", "Access denied", typeof(AccessDeniedException), "run as root, or allow it with polkit")]
    [InlineData("org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", "Interactive authentication required.", typeof(AccessDeniedException), "polkit")]
    [InlineData("org.freedesktop.DBus.Error.NotSupported", "Can't bind mount on container with user namespacing applied.", typeof(SystemdCallException), "user namespacing")]
    public async Task Error_replies_become_typed_exceptions(string errorName, string errorMessage, Type expected, string messagePart)
    {
        await using var bus = await PrivateBus.StartAsync();
        await using var machined = await FakeService.StartAsync(bus, MachineManager.Service, MachineManager.ObjectPath);
        machined.OnCall = c =>
        {
            c.ReplyError(errorName, errorMessage);
            return ValueTask.CompletedTask;
        };
        await using var client = await bus.ConnectAsync();

        var e = await Assert.ThrowsAnyAsync<SystemdException>(() => new MachineManager(client).GetMachineAsync("web", CancellationToken.None));

        Assert.IsType(expected, e);
        Assert.Contains(messagePart, e.Message);
        Assert.EndsWith(".", e.Message);
    }

    [Fact]
    public async Task A_bus_without_machined_gives_ServiceMissingException()
    {
        await using var bus = await PrivateBus.StartAsync();
        await using var client = await bus.ConnectAsync();

        var e = await Assert.ThrowsAsync<ServiceMissingException>(() => new MachineManager(client).ListMachinesAsync(CancellationToken.None));

        Assert.StartsWith("machined is not available", e.Message);
    }

    [Fact]
    public async Task No_bus_at_the_address_gives_BusUnavailableException()
    {
        var e = await Assert.ThrowsAsync<BusUnavailableException>(() => SystemdBus.ConnectAsync("unix:path=/nonexistent/bus", CancellationToken.None));

        Assert.Contains("'unix:path=/nonexistent/bus'", e.Message);
    }

    [Fact]
    public async Task An_invalid_machine_name_is_refused_before_any_call()
    {
        await using var bus = await PrivateBus.StartAsync();
        await using var machined = await FakeService.StartAsync(bus, MachineManager.Service, MachineManager.ObjectPath);
        await using var client = await bus.ConnectAsync();

        await Assert.ThrowsAsync<InvalidInputException>(() => new MachineManager(client).TerminateMachineAsync("../etc", CancellationToken.None));

        Assert.Empty(machined.Calls);
    }
}
