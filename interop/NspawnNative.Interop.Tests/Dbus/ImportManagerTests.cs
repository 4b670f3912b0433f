using Microsoft.Win32.SafeHandles;
using NspawnNative.Interop.Systemd;
using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Tests.Dbus;

public sealed class ImportManagerTests(ScriptedBus privateBus) : IClassFixture<ScriptedBus>
{
    private const string Root = "/org/freedesktop/import1";
    private const string TransferPath = "/org/freedesktop/import1/transfer/_7";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ImportTar_passes_a_duplicate_of_the_callers_file_descriptor()
    {
        var address = privateBus.Require();
        using var fake = await ScriptedService.StartAsync(address, ImportManager.Service, Root);
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "tarball bytes", Ct);
        string? received = null;
        (string, bool, bool)? args = null;
        fake.Handlers["ImportTar"] = c =>
        {
            var r = c.Request.GetBodyReader();
            using (var fd = r.ReadHandle<SafeFileHandle>())
            using (var stream = new FileStream(fd, FileAccess.Read))
                received = new StreamReader(stream).ReadToEnd();
            args = (r.ReadString(), r.ReadBool(), r.ReadBool());
            ReplyStarted(c);
        };
        await using var bus = await SystemdBus.ConnectAsync(address, Ct);
        try
        {
            using var handle = TransferFiles.OpenRead(file);

            var started = await new ImportManager(bus).ImportTarAsync(handle, "web", force: true, readOnly: false, Ct);

            Assert.Equal(new TransferStarted(7, TransferPath), started);
            Assert.Equal("tarball bytes", received);
            Assert.Equal(("web", true, false), args);
            Assert.Equal("hsbb", Assert.Single(fake.Calls).Signature);
            Assert.False(handle.IsClosed, "the caller's handle was closed by the call");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ImportFileSystem_passes_a_directory_descriptor()
    {
        var address = privateBus.Require();
        using var fake = await ScriptedService.StartAsync(address, ImportManager.Service, Root);
        var dir = Directory.CreateTempSubdirectory("nn-tree-").FullName;
        string? target = null;
        fake.Handlers["ImportFileSystem"] = c =>
        {
            var fd = c.Request.GetBodyReader().ReadHandleRaw();
            target = new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
            ReplyStarted(c);
        };
        await using var bus = await SystemdBus.ConnectAsync(address, Ct);
        try
        {
            using var handle = TransferFiles.OpenDirectory(dir);

            await new ImportManager(bus).ImportFileSystemAsync(handle, "tree", false, false, Ct);

            Assert.Equal(dir, target);
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    [Fact]
    public async Task OpenDirectory_refuses_a_regular_file_with_one_sentence()
    {
        var file = Path.GetTempFileName();
        try
        {
            var e = Assert.Throws<TransferFileException>(() => TransferFiles.OpenDirectory(file));
            Assert.Equal($"Cannot open directory '{file}': it is not a directory; give a readable directory tree.", e.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(PullVerify.No, "no")]
    [InlineData(PullVerify.Checksum, "checksum")]
    [InlineData(PullVerify.Signature, "signature")]
    public async Task PullTar_sends_url_name_verify_mode_and_force(PullVerify verify, string expected)
    {
        var address = privateBus.Require();
        using var fake = await ScriptedService.StartAsync(address, ImportManager.Service, Root);
        (string, string, string, bool)? args = null;
        fake.Handlers["PullTar"] = c =>
        {
            var r = c.Request.GetBodyReader();
            args = (r.ReadString(), r.ReadString(), r.ReadString(), r.ReadBool());
            ReplyStarted(c);
        };
        await using var bus = await SystemdBus.ConnectAsync(address, Ct);

        await new ImportManager(bus).PullTarAsync("http://127.0.0.1:8000/a.tar", null, verify, force: false, Ct);

        Assert.Equal(("http://127.0.0.1:8000/a.tar", "", expected, false), args);
    }

    [Fact]
    public async Task A_url_importd_cannot_pull_is_refused_before_any_call()
    {
        var address = privateBus.Require();
        using var fake = await ScriptedService.StartAsync(address, ImportManager.Service, Root);
        await using var bus = await SystemdBus.ConnectAsync(address, Ct);

        await Assert.ThrowsAsync<InvalidInputException>(() => new ImportManager(bus).PullRawAsync("ftp://x/y.raw", "y", PullVerify.No, false, Ct));

        Assert.Empty(fake.Calls);
    }

    [Fact]
    public async Task ExportTar_sends_the_name_an_output_descriptor_and_the_format()
    {
        var address = privateBus.Require();
        using var fake = await ScriptedService.StartAsync(address, ImportManager.Service, Root);
        var file = Path.GetTempFileName();
        (string, string)? args = null;
        fake.Handlers["ExportTar"] = c =>
        {
            var r = c.Request.GetBodyReader();
            var name = r.ReadString();
            using (var fd = r.ReadHandle<SafeFileHandle>())
            using (var stream = new FileStream(fd, FileAccess.Write))
                stream.Write("exported"u8);
            args = (name, r.ReadString());
            ReplyStarted(c);
        };
        await using var bus = await SystemdBus.ConnectAsync(address, Ct);
        try
        {
            using (var handle = TransferFiles.CreateWrite(file))
                await new ImportManager(bus).ExportTarAsync("web", handle, ExportFormat.Xz, Ct);

            Assert.Equal(("web", "xz"), args);
            Assert.Equal("exported", await File.ReadAllTextAsync(file, Ct));
            Assert.Equal("shs", Assert.Single(fake.Calls).Signature);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ListTransfers_reads_rows_and_an_unknown_progress_as_null()
    {
        var address = privateBus.Require();
        using var fake = await ScriptedService.StartAsync(address, ImportManager.Service, Root);
        fake.Handlers["ListTransfers"] = c => ScriptedService.Reply(c, "a(usssdo)", (ref MessageWriter w) =>
        {
            var a = w.WriteArrayStart(DBusType.Struct);
            w.WriteStructureStart();
            w.WriteUInt32(3);
            w.WriteString("pull-tar");
            w.WriteString("http://h/a.tar");
            w.WriteString("a");
            w.WriteDouble(-double.MaxValue);
            w.WriteObjectPath("/org/freedesktop/import1/transfer/_3");
            w.WriteStructureStart();
            w.WriteUInt32(4);
            w.WriteString("import-tar");
            w.WriteString("");
            w.WriteString("b");
            w.WriteDouble(0.25);
            w.WriteObjectPath("/org/freedesktop/import1/transfer/_4");
            w.WriteArrayEnd(a);
        });
        await using var bus = await SystemdBus.ConnectAsync(address, Ct);

        var transfers = await new ImportManager(bus).ListTransfersAsync(Ct);

        Assert.Equal(
        [
            new TransferSummary(3, "pull-tar", "http://h/a.tar", "a", null, "/org/freedesktop/import1/transfer/_3"),
            new TransferSummary(4, "import-tar", "", "b", 0.25, "/org/freedesktop/import1/transfer/_4"),
        ], transfers);
    }

    [Fact]
    public async Task Wait_reports_progress_then_returns_done_when_the_transfer_is_removed()
    {
        var address = privateBus.Require();
        using var fake = await ScriptedService.StartAsync(address, ImportManager.Service, Root);
        fake.Handlers["ListTransfers"] = ReplyNoTransfers;
        fake.Handlers["PullTar"] = ReplyStarted;
        fake.Handlers["Get"] = c =>
        {
            ScriptedService.Reply(c, "v", (ref MessageWriter w) => w.WriteVariantDouble(0.5));
            EmitRemoved(fake, "done");
        };
        await using var bus = await SystemdBus.ConnectAsync(address, Ct);
        var imports = new ImportManager(bus) { ProgressInterval = TimeSpan.FromMilliseconds(10) };
        var progress = new Recorder<double>();

        var outcome = await imports.WaitAsync(c => imports.PullTarAsync("http://h/a.tar", "a", PullVerify.No, false, c), progress, null, Ct);

        Assert.Equal(new TransferOutcome(7, "done", []).Result, outcome.Result);
        Assert.True(outcome.Succeeded);
        Assert.Equal([0.5, 1.0], progress.Values);
        Assert.Contains(fake.Calls, c => c.Path == TransferPath && c.Member == "Get");
    }

    [Fact]
    public async Task Wait_sees_a_removal_signalled_before_the_reply_and_keeps_the_log()
    {
        var address = privateBus.Require();
        using var fake = await ScriptedService.StartAsync(address, ImportManager.Service, Root);
        fake.Handlers["ListTransfers"] = ReplyNoTransfers;
        fake.Handlers["ImportTar"] = c =>
        {
            fake.Emit(TransferPath, Transfer.Interface, "LogMessage", "us", (ref MessageWriter w) =>
            {
                w.WriteUInt32(3);
                w.WriteString("Image 'web' already exists.");
            });
            EmitRemoved(fake, "failed");
            ReplyStarted(c);
        };
        await using var bus = await SystemdBus.ConnectAsync(address, Ct);
        var imports = new ImportManager(bus);
        var file = Path.GetTempFileName();
        try
        {
            using var handle = TransferFiles.OpenRead(file);

            var outcome = await imports.WaitAsync(c => imports.ImportTarAsync(handle, "web", false, false, c), null, null, Ct);

            Assert.Equal("failed", outcome.Result);
            Assert.False(outcome.Succeeded);
            Assert.Equal(["Image 'web' already exists."], outcome.Log);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Cancelling_the_wait_cancels_the_transfer()
    {
        var address = privateBus.Require();
        using var fake = await ScriptedService.StartAsync(address, ImportManager.Service, Root);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        uint? cancelled = null;
        fake.Handlers["ListTransfers"] = ReplyNoTransfers;
        fake.Handlers["PullRaw"] = ReplyStarted;
        fake.Handlers["Get"] = c =>
        {
            ScriptedService.Reply(c, "v", (ref MessageWriter w) => w.WriteVariantDouble(0.1));
            cts.Cancel();
        };
        fake.Handlers["CancelTransfer"] = c =>
        {
            cancelled = c.Request.GetBodyReader().ReadUInt32();
            ScriptedService.Reply(c, null, (ref MessageWriter _) => { });
            EmitRemoved(fake, "canceled");
        };
        await using var bus = await SystemdBus.ConnectAsync(address, Ct);
        var imports = new ImportManager(bus) { ProgressInterval = TimeSpan.FromMilliseconds(10) };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            imports.WaitAsync(c => imports.PullRawAsync("http://h/a.raw", "a", PullVerify.No, false, c), new Recorder<double>(), null, cts.Token));

        Assert.Equal(7u, cancelled);
    }

    [Fact]
    public async Task Cancelling_an_unknown_transfer_says_so()
    {
        var address = privateBus.Require();
        using var fake = await ScriptedService.StartAsync(address, ImportManager.Service, Root);
        fake.Handlers["CancelTransfer"] = c => c.ReplyError("org.freedesktop.import1.NoSuchTransfer", "No transfer by id 9");
        await using var bus = await SystemdBus.ConnectAsync(address, Ct);

        var e = await Assert.ThrowsAsync<NotFoundException>(() => new ImportManager(bus).CancelTransferAsync(9, Ct));

        Assert.Equal("No transfer '9': No transfer by id 9; 'list-transfers' shows them.", e.Message);
    }

    [Fact]
    public async Task Without_importd_on_the_bus_the_error_names_it()
    {
        var address = privateBus.Require();
        await using var bus = await SystemdBus.ConnectAsync(address, Ct);

        var e = await Assert.ThrowsAsync<ServiceMissingException>(() => new ImportManager(bus).ListTransfersAsync(Ct));

        Assert.StartsWith("importd is not available", e.Message);
    }

    private static void ReplyNoTransfers(MethodContext c) => ScriptedService.Reply(c, "a(usssdo)", (ref MessageWriter w) =>
        w.WriteArrayEnd(w.WriteArrayStart(DBusType.Struct)));

    private static void ReplyStarted(MethodContext c) => ScriptedService.Reply(c, "uo", (ref MessageWriter w) =>
    {
        w.WriteUInt32(7);
        w.WriteObjectPath(TransferPath);
    });

    private static void EmitRemoved(ScriptedService fake, string result) =>
        fake.Emit(Root, ImportManager.Interface, "TransferRemoved", "uos", (ref MessageWriter w) =>
        {
            w.WriteUInt32(7);
            w.WriteObjectPath(TransferPath);
            w.WriteString(result);
        });

    /// <summary>Records reports synchronously, in order (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class Recorder<T> : IProgress<T>
    {
        private readonly Lock _gate = new();
        private readonly List<T> _values = [];

        public IReadOnlyList<T> Values
        {
            get
            {
                lock (_gate)
                    return [.. _values];
            }
        }

        public void Report(T value)
        {
            lock (_gate)
                _values.Add(value);
        }
    }
}
