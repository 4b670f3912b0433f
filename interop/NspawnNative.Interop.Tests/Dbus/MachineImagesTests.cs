using NspawnNative.Interop.Systemd;
using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Tests.Dbus;

public sealed class MachineImagesTests(ScriptedBus privateBus) : IClassFixture<ScriptedBus>
{
    private const string Root = "/org/freedesktop/machine1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListImages_reads_every_row_of_machineds_struct_array()
    {
        var address = privateBus.Require();
        using var fake = await ScriptedService.StartAsync(address, MachineImages.Service, Root);
        fake.Handlers["ListImages"] = c => ScriptedService.Reply(c, "a(ssbttto)", (ref MessageWriter w) =>
        {
            var a = w.WriteArrayStart(DBusType.Struct);
            w.WriteStructureStart();
            w.WriteString("web");
            w.WriteString("directory");
            w.WriteBool(true);
            w.WriteUInt64(1_700_000_000_000_000);
            w.WriteUInt64(1_700_000_100_000_000);
            w.WriteUInt64(ulong.MaxValue);
            w.WriteObjectPath("/org/freedesktop/machine1/image/web");
            w.WriteStructureStart();
            w.WriteString(".tar-cache");
            w.WriteString("subvolume");
            w.WriteBool(false);
            w.WriteUInt64(0);
            w.WriteUInt64(0);
            w.WriteUInt64(4096);
            w.WriteObjectPath("/org/freedesktop/machine1/image/_2etar_2dcache");
            w.WriteArrayEnd(a);
        });
        await using var bus = await SystemdBus.ConnectAsync(address, Ct);

        var images = await new MachineImages(bus).ListAsync(Ct);

        Assert.Equal(
        [
            new ImageSummary("web", "directory", true, 1_700_000_000_000_000, 1_700_000_100_000_000, ulong.MaxValue, "/org/freedesktop/machine1/image/web"),
            new ImageSummary(".tar-cache", "subvolume", false, 0, 0, 4096, "/org/freedesktop/machine1/image/_2etar_2dcache"),
        ], images);
        Assert.True(images[1].IsHidden);
        Assert.Equal(("/org/freedesktop/machine1", "ListImages", ""), Assert.Single(fake.Calls));
    }

    [Fact]
    public async Task Get_asks_for_the_image_path_then_reads_the_image_properties()
    {
        var address = privateBus.Require();
        using var fake = await ScriptedService.StartAsync(address, MachineImages.Service, Root);
        string? asked = null, iface = null;
        fake.Handlers["GetImage"] = c =>
        {
            asked = c.Request.GetBodyReader().ReadString();
            ScriptedService.Reply(c, "o", (ref MessageWriter w) => w.WriteObjectPath("/org/freedesktop/machine1/image/web"));
        };
        fake.Handlers["GetAll"] = c =>
        {
            iface = c.Request.GetBodyReader().ReadString();
            ScriptedService.Reply(c, "a{sv}", (ref MessageWriter w) =>
            {
                var d = w.WriteDictionaryStart();
                Entry(ref w, "Name", (ref MessageWriter v) => v.WriteVariantString("web"));
                Entry(ref w, "Path", (ref MessageWriter v) => v.WriteVariantString("/var/lib/machines/web"));
                Entry(ref w, "Type", (ref MessageWriter v) => v.WriteVariantString("directory"));
                Entry(ref w, "ReadOnly", (ref MessageWriter v) => v.WriteVariantBool(false));
                Entry(ref w, "CreationTimestamp", (ref MessageWriter v) => v.WriteVariantUInt64(5));
                Entry(ref w, "ModificationTimestamp", (ref MessageWriter v) => v.WriteVariantUInt64(6));
                Entry(ref w, "Usage", (ref MessageWriter v) => v.WriteVariantUInt64(1 << 20));
                Entry(ref w, "Limit", (ref MessageWriter v) => v.WriteVariantUInt64(ulong.MaxValue));
                Entry(ref w, "UsageExclusive", (ref MessageWriter v) => v.WriteVariantUInt64(1 << 19));
                Entry(ref w, "LimitExclusive", (ref MessageWriter v) => v.WriteVariantUInt64(ulong.MaxValue));
                w.WriteDictionaryEnd(d);
            });
        };
        await using var bus = await SystemdBus.ConnectAsync(address, Ct);

        var image = await new MachineImages(bus).GetAsync("web", Ct);

        Assert.Equal(new Image("web", "/var/lib/machines/web", "directory", false, 5, 6, 1 << 20, Image.Unknown, 1 << 19, Image.Unknown), image);
        Assert.Equal("web", asked);
        Assert.Equal(MachineImages.ImageInterface, iface);
        Assert.Contains(fake.Calls, c => c.Path == "/org/freedesktop/machine1/image/web" && c.Member == "GetAll");
    }

    [Fact]
    public async Task Clone_sends_both_names_and_the_read_only_flag()
    {
        var address = privateBus.Require();
        using var fake = await ScriptedService.StartAsync(address, MachineImages.Service, Root);
        (string, string, bool)? args = null;
        fake.Handlers["CloneImage"] = c =>
        {
            var r = c.Request.GetBodyReader();
            args = (r.ReadString(), r.ReadString(), r.ReadBool());
            ScriptedService.Reply(c, null, (ref MessageWriter _) => { });
        };
        await using var bus = await SystemdBus.ConnectAsync(address, Ct);

        await new MachineImages(bus).CloneAsync("web", "web2", readOnly: true, Ct);

        Assert.Equal(("web", "web2", true), args);
        Assert.Equal("ssb", Assert.Single(fake.Calls).Signature);
    }

    [Theory]
    [InlineData(CleanMode.Hidden, "hidden")]
    [InlineData(CleanMode.All, "all")]
    public async Task CleanPool_sends_the_mode_and_reads_what_was_removed(CleanMode mode, string expected)
    {
        var address = privateBus.Require();
        using var fake = await ScriptedService.StartAsync(address, MachineImages.Service, Root);
        string? sent = null;
        fake.Handlers["CleanPool"] = c =>
        {
            sent = c.Request.GetBodyReader().ReadString();
            ScriptedService.Reply(c, "a(st)", (ref MessageWriter w) =>
            {
                var a = w.WriteArrayStart(DBusType.Struct);
                w.WriteStructureStart();
                w.WriteString(".tar-x");
                w.WriteUInt64(ulong.MaxValue);
                w.WriteArrayEnd(a);
            });
        };
        await using var bus = await SystemdBus.ConnectAsync(address, Ct);

        var removed = await new MachineImages(bus).CleanPoolAsync(mode, Ct);

        Assert.Equal(expected, sent);
        Assert.Equal([new CleanedImage(".tar-x", Image.Unknown)], removed);
    }

    [Fact]
    public async Task A_missing_image_becomes_NotFoundException_with_one_sentence()
    {
        var address = privateBus.Require();
        using var fake = await ScriptedService.StartAsync(address, MachineImages.Service, Root);
        fake.Handlers["RemoveImage"] = c => c.ReplyError("org.freedesktop.machine1.NoSuchImage", "No image 'gone' known");
        await using var bus = await SystemdBus.ConnectAsync(address, Ct);

        var e = await Assert.ThrowsAsync<NotFoundException>(() => new MachineImages(bus).RemoveAsync("gone", Ct));

        Assert.Equal("No image 'gone': No image 'gone' known; 'list-images' shows the images.", e.Message);
    }

    [Fact]
    public async Task Interactive_authorization_becomes_AccessDeniedException()
    {
        var address = privateBus.Require();
        using var fake = await ScriptedService.StartAsync(address, MachineImages.Service, Root);
        fake.Handlers["MarkImageReadOnly"] = c =>
            c.ReplyError("org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", "Interactive authentication required.");
        await using var bus = await SystemdBus.ConnectAsync(address, Ct);

        var e = await Assert.ThrowsAsync<AccessDeniedException>(() => new MachineImages(bus).MarkReadOnlyAsync("web", true, Ct));

        Assert.Contains("run as root, or allow it with polkit", e.Message);
    }

    [Fact]
    public async Task An_invalid_name_is_refused_before_any_call()
    {
        var address = privateBus.Require();
        using var fake = await ScriptedService.StartAsync(address, MachineImages.Service, Root);
        await using var bus = await SystemdBus.ConnectAsync(address, Ct);

        await Assert.ThrowsAsync<InvalidInputException>(() => new MachineImages(bus).RenameAsync("web", "../etc", Ct));

        Assert.Empty(fake.Calls);
    }

    [Fact]
    public async Task Without_machined_on_the_bus_the_error_names_the_missing_service()
    {
        var address = privateBus.Require();
        await using var bus = await SystemdBus.ConnectAsync(address, Ct);

        var e = await Assert.ThrowsAsync<ServiceMissingException>(() => new MachineImages(bus).ListAsync(Ct));

        Assert.StartsWith("machined is not available", e.Message);
    }

    private delegate void VariantWriter(ref MessageWriter writer);

    private static void Entry(ref MessageWriter w, string key, VariantWriter value)
    {
        w.WriteDictionaryEntryStart();
        w.WriteString(key);
        value(ref w);
    }
}
