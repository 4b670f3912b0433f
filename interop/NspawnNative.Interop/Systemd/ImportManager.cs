using System.Runtime.InteropServices;
using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Systemd;

/// <summary>
/// org.freedesktop.import1.Manager (systemd-importd, bus-activated): imports and exports of tarballs, raw images and
/// directory trees, pulls from URLs, the transfer list, and waiting for a transfer with its progress. File
/// descriptors travel with the calls; the caller keeps ownership of the handles it passes (they are duplicated).
/// Image names are validated with <see cref="MachineName.Validate"/> before any call.
/// </summary>
/// <param name="bus">The connection to the bus importd answers on.</param>
public sealed class ImportManager(SystemdBus bus)
{
    /// <summary>importd's bus name.</summary>
    public const string Service = "org.freedesktop.import1";

    /// <summary>importd's manager object.</summary>
    public const string ObjectPath = "/org/freedesktop/import1";

    /// <summary>The manager interface.</summary>
    public const string Interface = "org.freedesktop.import1.Manager";

    /// <summary>How often <see cref="WaitAsync"/> reads the Progress property; 1 s unless set.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Imports a tarball as image <paramref name="name"/> (<c>ImportTar</c>).</summary>
    /// <param name="file">The tarball, open for reading (a regular file or a pipe).</param>
    /// <param name="name">The new image's name.</param>
    /// <param name="force">Replace an existing image of that name.</param>
    /// <param name="readOnly">Make the image read-only.</param>
    /// <param name="cancellationToken">Abandons the wait for the reply.</param>
    public Task<TransferStarted> ImportTarAsync(SafeHandle file, string name, bool force, bool readOnly, CancellationToken cancellationToken) =>
        ImportAsync("ImportTar", file, name, force, readOnly, cancellationToken);

    /// <summary>Imports a raw disk image as image <paramref name="name"/> (<c>ImportRaw</c>).</summary>
    /// <param name="file">The image file, open for reading.</param>
    /// <param name="name">The new image's name.</param>
    /// <param name="force">Replace an existing image of that name.</param>
    /// <param name="readOnly">Make the image read-only.</param>
    /// <param name="cancellationToken">Abandons the wait for the reply.</param>
    public Task<TransferStarted> ImportRawAsync(SafeHandle file, string name, bool force, bool readOnly, CancellationToken cancellationToken) =>
        ImportAsync("ImportRaw", file, name, force, readOnly, cancellationToken);

    /// <summary>Copies a directory tree into image <paramref name="name"/> (<c>ImportFileSystem</c>).</summary>
    /// <param name="directory">The tree, opened with O_DIRECTORY (see <see cref="TransferFiles.OpenDirectory"/>).</param>
    /// <param name="name">The new image's name.</param>
    /// <param name="force">Replace an existing image of that name.</param>
    /// <param name="readOnly">Make the image read-only.</param>
    /// <param name="cancellationToken">Abandons the wait for the reply.</param>
    public Task<TransferStarted> ImportFileSystemAsync(SafeHandle directory, string name, bool force, bool readOnly, CancellationToken cancellationToken) =>
        ImportAsync("ImportFileSystem", directory, name, force, readOnly, cancellationToken);

    /// <summary>Writes image <paramref name="name"/> as a tarball into <paramref name="output"/> (<c>ExportTar</c>).</summary>
    /// <param name="name">The image.</param>
    /// <param name="output">A regular file or pipe open for writing.</param>
    /// <param name="format">The compression.</param>
    /// <param name="cancellationToken">Abandons the wait for the reply.</param>
    public Task<TransferStarted> ExportTarAsync(string name, SafeHandle output, ExportFormat format, CancellationToken cancellationToken) =>
        ExportAsync("ExportTar", name, output, format, cancellationToken);

    /// <summary>Writes raw image <paramref name="name"/> into <paramref name="output"/> (<c>ExportRaw</c>).</summary>
    /// <param name="name">The image (of type raw).</param>
    /// <param name="output">A regular file or pipe open for writing.</param>
    /// <param name="format">The compression.</param>
    /// <param name="cancellationToken">Abandons the wait for the reply.</param>
    public Task<TransferStarted> ExportRawAsync(string name, SafeHandle output, ExportFormat format, CancellationToken cancellationToken) =>
        ExportAsync("ExportRaw", name, output, format, cancellationToken);

    /// <summary>Downloads a tarball into an image (<c>PullTar</c>).</summary>
    /// <param name="url">An http, https or file URL.</param>
    /// <param name="name">The image name, or null to let importd take it from the URL.</param>
    /// <param name="verify">The verification mode.</param>
    /// <param name="force">Replace an existing image of that name.</param>
    /// <param name="cancellationToken">Abandons the wait for the reply.</param>
    public Task<TransferStarted> PullTarAsync(string url, string? name, PullVerify verify, bool force, CancellationToken cancellationToken) =>
        PullAsync("PullTar", url, name, verify, force, cancellationToken);

    /// <summary>Downloads a raw disk image into an image (<c>PullRaw</c>).</summary>
    /// <param name="url">An http, https or file URL.</param>
    /// <param name="name">The image name, or null to let importd take it from the URL.</param>
    /// <param name="verify">The verification mode.</param>
    /// <param name="force">Replace an existing image of that name.</param>
    /// <param name="cancellationToken">Abandons the wait for the reply.</param>
    public Task<TransferStarted> PullRawAsync(string url, string? name, PullVerify verify, bool force, CancellationToken cancellationToken) =>
        PullAsync("PullRaw", url, name, verify, force, cancellationToken);

    /// <summary>Lists the running transfers (<c>ListTransfers</c>).</summary>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task<IReadOnlyList<TransferSummary>> ListTransfersAsync(CancellationToken cancellationToken)
    {
        var message = Call("ListTransfers", null, MethodCall.None);
        return bus.CallAsync(message, static (m, _) => ReadTransfers(m), "the transfer list", cancellationToken);
    }

    /// <summary>Cancels transfer <paramref name="id"/> (<c>CancelTransfer</c>); its TransferRemoved says
    /// "canceled".</summary>
    /// <param name="id">The transfer id.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    /// <exception cref="NotFoundException">No transfer with that id.</exception>
    public Task CancelTransferAsync(uint id, CancellationToken cancellationToken)
    {
        var message = Call("CancelTransfer", "u", (ref MessageWriter w) => w.WriteUInt32(id));
        return bus.CallAsync(message, $"transfer '{id}'", cancellationToken);
    }

    /// <summary>Reads the properties of a transfer object.</summary>
    /// <param name="objectPath">The transfer's object path.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public async Task<Transfer> GetTransferAsync(string objectPath, CancellationToken cancellationToken)
    {
        var p = await DBusProperties.GetAllAsync(bus, Service, objectPath, Transfer.Interface, $"transfer '{objectPath}'", cancellationToken)
            .ConfigureAwait(false);
        return Transfer.FromProperties(p);
    }

    /// <summary>Calls <paramref name="handler"/> for every TransferNew signal until the result is disposed.</summary>
    /// <param name="handler">Receives the new transfer's id and object path.</param>
    /// <param name="cancellationToken">Abandons adding the match.</param>
    public Task<IDisposable> WatchTransferNewAsync(Action<TransferStarted> handler, CancellationToken cancellationToken) =>
        WatchAsync("TransferNew", static (m, _) =>
        {
            var r = m.GetBodyReader();
            return new TransferStarted(r.ReadUInt32(), r.ReadObjectPathAsString());
        }, handler, cancellationToken);

    /// <summary>Calls <paramref name="handler"/> for every TransferRemoved signal until the result is disposed.</summary>
    /// <param name="handler">Receives the ended transfer and its result.</param>
    /// <param name="cancellationToken">Abandons adding the match.</param>
    public Task<IDisposable> WatchTransferRemovedAsync(Action<TransferRemoved> handler, CancellationToken cancellationToken) =>
        WatchAsync("TransferRemoved", static (m, _) =>
        {
            var r = m.GetBodyReader();
            return new TransferRemoved(r.ReadUInt32(), r.ReadObjectPathAsString(), r.ReadString());
        }, handler, cancellationToken);

    /// <summary>
    /// Starts a transfer with <paramref name="start"/> and waits until importd removes it. The TransferRemoved and
    /// LogMessage matches are added before the start, so a transfer that ends at once is not missed. While it runs,
    /// the Progress property is read every <see cref="ProgressInterval"/> and reported. Cancelling
    /// <paramref name="cancellationToken"/> after the start cancels the transfer (CancelTransfer) and then throws
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <param name="start">Starts the transfer, for example <c>ct =&gt; imports.PullTarAsync(..., ct)</c>.</param>
    /// <param name="progress">Receives progress from 0 to 1 when importd knows it; may be null.</param>
    /// <param name="log">Receives the worker's log lines as they arrive; may be null.</param>
    /// <param name="cancellationToken">Cancels the wait and the transfer.</param>
    /// <returns>How the transfer ended; "failed" and "canceled" are results, not exceptions.</returns>
    public async Task<TransferOutcome> WaitAsync(Func<CancellationToken, Task<TransferStarted>> start, IProgress<double>? progress,
        IProgress<string>? log, CancellationToken cancellationToken)
    {
        // importd is bus-activated and exits when idle: a first call starts it, so that the matches below, which
        // follow its bus name, are bound to a running owner rather than resolved while none exists.
        await ListTransfersAsync(cancellationToken).ConfigureAwait(false);
        var watch = new TransferWatch();
        using var removedMatch = await WatchTransferRemovedAsync(watch.OnRemoved, cancellationToken).ConfigureAwait(false);
        using var logMatch = await AddMatchAsync(new MatchRule
        {
            Type = MessageType.Signal, Sender = Service, Interface = Transfer.Interface, Member = "LogMessage",
        }, static (m, _) =>
        {
            var r = m.GetBodyReader();
            r.ReadUInt32();
            return (Path: m.PathAsString ?? "", Line: r.ReadString());
        }, e => watch.OnLog(e.Path, e.Line, log), cancellationToken).ConfigureAwait(false);

        var started = await start(cancellationToken).ConfigureAwait(false);
        watch.Started(started);
        var removed = watch.Removal(started.Id);
        try
        {
            double? last = null;
            while (!removed.IsCompleted)
            {
                var tick = Task.Delay(ProgressInterval, cancellationToken);
                await Task.WhenAny(removed, tick).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (removed.IsCompleted || progress is null)
                    continue;
                double? now = await TryReadProgressAsync(started.ObjectPath, cancellationToken).ConfigureAwait(false);
                if (now is double p && p != last)
                {
                    last = p;
                    progress.Report(p);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await CancelQuietlyAsync(started.Id, removed).ConfigureAwait(false);
            throw;
        }
        var result = await removed.ConfigureAwait(false);
        if (result == "done")
            progress?.Report(1);
        return new TransferOutcome(started.Id, result, watch.LogOf(started.ObjectPath));
    }

    private async Task CancelQuietlyAsync(uint id, Task<string> removed)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await CancelTransferAsync(id, cts.Token).ConfigureAwait(false);
            await removed.WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SystemdException or OperationCanceledException or TimeoutException)
        {
            // The transfer may have ended meanwhile, or importd is slow to stop it: the caller's cancellation stands.
        }
    }

    private async Task<double?> TryReadProgressAsync(string objectPath, CancellationToken cancellationToken)
    {
        try
        {
            var v = await DBusProperties.GetAsync(bus, Service, objectPath, Transfer.Interface, "Progress", $"transfer '{objectPath}'",
                cancellationToken).ConfigureAwait(false);
            return Transfer.ProgressOf(v.GetDouble());
        }
        catch (SystemdException)
        {
            // The object goes away when the transfer ends, before its TransferRemoved arrives.
            return null;
        }
    }

    private Task<TransferStarted> ImportAsync(string member, SafeHandle file, string name, bool force, bool readOnly, CancellationToken cancellationToken)
    {
        MachineName.Validate(name);
        var fd = TransferFiles.Duplicate(file);
        var message = Call(member, "hsbb", (ref MessageWriter w) =>
        {
            w.WriteHandle(fd);
            w.WriteString(name);
            w.WriteBool(force);
            w.WriteBool(readOnly);
        });
        return bus.CallAsync(message, ReadStarted, $"image '{name}'", cancellationToken);
    }

    private Task<TransferStarted> ExportAsync(string member, string name, SafeHandle output, ExportFormat format, CancellationToken cancellationToken)
    {
        MachineName.Validate(name);
        var fd = TransferFiles.Duplicate(output);
        var message = Call(member, "shs", (ref MessageWriter w) =>
        {
            w.WriteString(name);
            w.WriteHandle(fd);
            w.WriteString(FormatName(format));
        });
        return bus.CallAsync(message, ReadStarted, $"image '{name}'", cancellationToken);
    }

    private Task<TransferStarted> PullAsync(string member, string url, string? name, PullVerify verify, bool force, CancellationToken cancellationToken)
    {
        ValidateUrl(url);
        if (name is not null)
            MachineName.Validate(name);
        var message = Call(member, "sssb", (ref MessageWriter w) =>
        {
            w.WriteString(url);
            w.WriteString(name ?? "");
            w.WriteString(verify switch { PullVerify.No => "no", PullVerify.Checksum => "checksum", _ => "signature" });
            w.WriteBool(force);
        });
        return bus.CallAsync(message, ReadStarted, $"'{url}'", cancellationToken);
    }

    /// <summary>Throws unless <paramref name="url"/> is an absolute http, https or file URL, the kinds importd
    /// pulls.</summary>
    /// <param name="url">The URL.</param>
    /// <returns>The URL, unchanged.</returns>
    /// <exception cref="InvalidInputException">The URL is not acceptable.</exception>
    public static string ValidateUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "file"))
            throw new InvalidInputException($"Invalid URL '{url}': importd pulls only http, https and file URLs; give a full URL.");
        return url;
    }

    /// <summary>importd's name for <paramref name="format"/>; "" lets importd choose.</summary>
    public static string FormatName(ExportFormat format) => format switch
    {
        ExportFormat.Uncompressed => "uncompressed",
        ExportFormat.Xz => "xz",
        ExportFormat.Gzip => "gzip",
        ExportFormat.Bzip2 => "bzip2",
        ExportFormat.Zstd => "zstd",
        _ => "",
    };

    private static TransferStarted ReadStarted(Message m, object? _)
    {
        var r = m.GetBodyReader();
        return new TransferStarted(r.ReadUInt32(), r.ReadObjectPathAsString());
    }

    private static IReadOnlyList<TransferSummary> ReadTransfers(Message message)
    {
        var reader = message.GetBodyReader();
        var list = new List<TransferSummary>();
        var end = reader.ReadArrayStart(DBusType.Struct);
        while (reader.HasNext(end))
        {
            reader.AlignStruct();
            list.Add(new TransferSummary(reader.ReadUInt32(), reader.ReadString(), reader.ReadString(), reader.ReadString(),
                Transfer.ProgressOf(reader.ReadDouble()), reader.ReadObjectPathAsString()));
        }
        return list;
    }

    private Task<IDisposable> WatchAsync<T>(string member, MessageValueReader<T> reader, Action<T> handler, CancellationToken cancellationToken) =>
        AddMatchAsync(new MatchRule { Type = MessageType.Signal, Sender = Service, Path = ObjectPath, Interface = Interface, Member = member },
            reader, handler, cancellationToken);

    private async Task<IDisposable> AddMatchAsync<T>(MatchRule rule, MessageValueReader<T> reader, Action<T> handler, CancellationToken cancellationToken)
    {
        try
        {
            return await bus.Connection.AddMatchAsync(rule, reader, (Notification<T> n) =>
            {
                if (n.HasValue)
                    handler(n.Value);
            }, emitOnCapturedContext: false).AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DBusErrorReplyException e)
        {
            throw DBusErrors.Map(e, "the transfer signals");
        }
        catch (DBusConnectionClosedException e)
        {
            throw new BusUnavailableException($"The D-Bus connection to '{bus.Address}' closed while watching transfers; try again.", e);
        }
    }

    private MessageBuffer Call(string member, string? signature, MethodCall.Body body) =>
        MethodCall.Create(bus, Service, ObjectPath, Interface, member, signature, body);
}
