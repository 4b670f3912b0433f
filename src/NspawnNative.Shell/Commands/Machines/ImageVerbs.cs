using System.CommandLine;
using NspawnNative.Interop;
using NspawnNative.Interop.Systemd;

namespace NspawnNative.Shell.Commands.Machines;

/// <summary>
/// machinectl's image verbs through machined (list-images, image-status, show-image, clone, rename, read-only,
/// remove, set-limit, clean) and importd's transfers (import-tar, import-raw, import-fs, export-tar, export-raw,
/// pull-tar, pull-raw, list-transfers, cancel-transfer). Names, URLs and files are checked before the bus is
/// touched.
/// </summary>
internal sealed class ImageVerbs : IVerbGroup
{
    public IEnumerable<Command> Create(ShellSession session)
    {
        session.Completions.Register("image", async ct =>
        {
            await using var bus = await SystemdBus.ConnectAsync(session.Defaults.BusAddress, ct).ConfigureAwait(false);
            var images = await new MachineImages(bus).ListAsync(ct).ConfigureAwait(false);
            return [.. images.Where(i => !i.IsHidden).Select(i => i.Name).Order(StringComparer.Ordinal)];
        });

        return
        [
            ListImages(session), ImageStatus(session), ShowImage(session), Clone(session), Rename(session), ReadOnly(session),
            Remove(session), SetLimit(session), Clean(session),
            Import(session, "import-tar", "Import a tarball as a new image (importd).", TransferKind.Tar),
            Import(session, "import-raw", "Import a raw disk image as a new image (importd).", TransferKind.Raw),
            Import(session, "import-fs", "Copy a directory tree into a new image (importd).", TransferKind.FileSystem),
            Export(session, "export-tar", "Write an image as a tarball (importd).", raw: false),
            Export(session, "export-raw", "Write a raw image to a file (importd).", raw: true),
            Pull(session, "pull-tar", "Download a tarball into a new image (importd).", raw: false),
            Pull(session, "pull-raw", "Download a raw disk image into a new image (importd).", raw: true),
            ListTransfers(session), CancelTransfer(session),
        ];
    }

    private enum TransferKind { Tar, Raw, FileSystem }

    private static Argument<string> ImageArgument(ShellSession session, string name = "name", string description = "The image name.") =>
        new Argument<string>(name) { Description = description }.CompletesWith(session, "image");

    /// <summary>Limits an option to a few words with a one-line error (System.CommandLine's own lists them on
    /// several lines) and completes them.</summary>
    private static void OneOf(Option option, params string[] values)
    {
        option.Validators.Add(result =>
        {
            var given = result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;
            if (given is not null && !values.Contains(given))
                result.AddError($"Value '{given}' of {option.Name} is not one of {string.Join(", ", values)}");
        });
        option.CompletionSources.Add(values);
    }

    private static Argument<string[]> ImageNames(ShellSession session, string description) =>
        new Argument<string[]>("name") { Arity = ArgumentArity.OneOrMore, Description = description }.CompletesWith(session, "image");

    /// <summary>Every name given, each validated before the bus is touched.</summary>
    private static string[] ValidNames(VerbContext ctx, Argument<string[]> names)
    {
        var list = ctx.Get(names)!;
        foreach (var n in list)
            MachineName.Validate(n);
        return list;
    }

    private static async Task<int> WithBusAsync(VerbContext ctx, CancellationToken ct, Func<SystemdBus, Task<int>> body)
    {
        await using var bus = await SystemdBus.ConnectAsync(ctx.Settings.BusAddress, ct).ConfigureAwait(false);
        return await body(bus).ConfigureAwait(false);
    }

    private static Command ListImages(ShellSession session)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Show hidden images too (names starting with '.')." };
        var command = new Command("list-images", "List the images machined knows (machinectl's columns).") { all };
        return command.Handle(session, (ctx, ct) => WithBusAsync(ctx, ct, async bus =>
        {
            var images = (await new MachineImages(bus).ListAsync(ct).ConfigureAwait(false))
                .Where(i => ctx.Get(all) || !i.IsHidden).OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
            if (ctx.Json)
            {
                ctx.Out.Json(images.Select(i => new ImageRow(i.Name, i.Type, i.ReadOnly, Known(i.Usage), Set(i.CreationTimestamp),
                    Set(i.ModificationTimestamp))).ToList(), ImageJsonContext.Default.ListImageRow);
                return ExitCodes.Success;
            }
            if (images.Count == 0)
            {
                if (!ctx.Out.NoLegend)
                    ctx.Out.Line("No images.");
                return ExitCodes.Success;
            }
            ctx.Out.Table(["NAME", "TYPE", "RO", "USAGE", "CREATED", "MODIFIED"],
                images.Select(i => new[]
                {
                    i.Name, i.Type, ImageFormat.YesNo(i.ReadOnly), ImageFormat.Bytes(i.Usage),
                    ImageFormat.Timestamp(i.CreationTimestamp), ImageFormat.Timestamp(i.ModificationTimestamp),
                }),
                $"{images.Count} images listed.");
            return ExitCodes.Success;
        }));
    }

    private static Command ImageStatus(ShellSession session)
    {
        var names = ImageNames(session, "The image names.");
        var command = new Command("image-status", "Show an image's properties and OS, as machinectl image-status.") { names };
        return command.Handle(session, (ctx, ct) =>
        {
            var list = ValidNames(ctx, names);
            return WithBusAsync(ctx, ct, async bus =>
            {
                var images = new MachineImages(bus);
                bool first = true;
                foreach (var n in list)
                {
                    var image = await images.GetAsync(n, ct).ConfigureAwait(false);
                    string? os = null;
                    try
                    {
                        var release = await images.GetOSReleaseAsync(n, ct).ConfigureAwait(false);
                        os = release.GetValueOrDefault("PRETTY_NAME") ?? release.GetValueOrDefault("NAME");
                    }
                    catch (SystemdException)
                    {
                        // An image without os-release (or one machined cannot open) still has a status.
                    }
                    if (ctx.Json)
                    {
                        ctx.Out.Json(new ImageStatusJson(image.Name, image.Path, image.Type, image.ReadOnly, Set(image.CreationTimestamp),
                            Set(image.ModificationTimestamp), Known(image.Usage), Known(image.Limit), Known(image.UsageExclusive),
                            Known(image.LimitExclusive), os), ImageJsonContext.Default.ImageStatusJson);
                        continue;
                    }
                    if (!first)
                        ctx.Out.Line();
                    first = false;
                    ctx.Out.Line(image.Name);
                    ctx.Out.Fields(
                    [
                        ("Type", image.Type), ("Path", image.Path), ("OS", os),
                        ("RO", image.ReadOnly ? "read-only" : "writable"),
                        ("Created", ImageFormat.Timestamp(image.CreationTimestamp)),
                        ("Modified", ImageFormat.Timestamp(image.ModificationTimestamp)),
                        ("Usage", WithExclusive(image.Usage, image.UsageExclusive)),
                        ("Limit", WithExclusive(image.Limit, image.LimitExclusive)),
                    ], indent: 4);
                }
                return ExitCodes.Success;
            });
        });
    }

    private static Command ShowImage(ShellSession session)
    {
        var name = ImageArgument(session);
        var properties = new Option<string[]>("--property", "-p") { Description = "Show only these properties.", AllowMultipleArgumentsPerToken = true };
        var command = new Command("show-image", "Show an image's D-Bus properties as KEY=VALUE lines.") { name, properties };
        return command.Handle(session, (ctx, ct) =>
        {
            var n = MachineName.Validate(ctx.Get(name));
            return WithBusAsync(ctx, ct, async bus =>
            {
                var i = await new MachineImages(bus).GetAsync(n, ct).ConfigureAwait(false);
                var all = new List<(string Key, string Value)>
                {
                    ("Name", i.Name), ("Path", i.Path), ("Type", i.Type), ("ReadOnly", ImageFormat.YesNo(i.ReadOnly)),
                    ("CreationTimestamp", ImageFormat.Timestamp(i.CreationTimestamp) ?? ""),
                    ("ModificationTimestamp", ImageFormat.Timestamp(i.ModificationTimestamp) ?? ""),
                    ("Usage", Raw(i.Usage)), ("Limit", Raw(i.Limit)), ("UsageExclusive", Raw(i.UsageExclusive)),
                    ("LimitExclusive", Raw(i.LimitExclusive)),
                };
                var wanted = ctx.Get(properties) ?? [];
                var unknown = wanted.Where(w => !all.Any(a => a.Key == w)).ToList();
                if (unknown.Count > 0)
                    throw new UsageException($"No image property '{unknown[0]}'; known: {string.Join(", ", all.Select(a => a.Key))}.");
                var shown = wanted.Length == 0 ? all : all.Where(a => wanted.Contains(a.Key)).ToList();
                if (ctx.Json)
                {
                    ctx.Out.Json(shown.ToDictionary(a => a.Key, a => a.Value), ImageJsonContext.Default.DictionaryStringString);
                    return ExitCodes.Success;
                }
                foreach (var (key, value) in shown)
                    ctx.Out.Line($"{key}={value}");
                return ExitCodes.Success;
            });
        });
    }

    private static Command Clone(ShellSession session)
    {
        var name = ImageArgument(session);
        var newName = new Argument<string>("new-name") { Description = "The name of the copy." };
        var readOnly = new Option<bool>("--read-only") { Description = "Make the copy read-only." };
        var command = new Command("clone", "Copy an image under a new name.") { name, newName, readOnly };
        return command.Handle(session, (ctx, ct) =>
        {
            var (from, to) = (MachineName.Validate(ctx.Get(name)), MachineName.Validate(ctx.Get(newName)));
            return WithBusAsync(ctx, ct, async bus =>
            {
                await new MachineImages(bus).CloneAsync(from, to, ctx.Get(readOnly), ct).ConfigureAwait(false);
                ctx.Out.Line($"Cloned image '{from}' to '{to}'.");
                return ExitCodes.Success;
            });
        });
    }

    private static Command Rename(ShellSession session)
    {
        var name = ImageArgument(session);
        var newName = new Argument<string>("new-name") { Description = "The new name." };
        var command = new Command("rename", "Rename an image.") { name, newName };
        return command.Handle(session, (ctx, ct) =>
        {
            var (from, to) = (MachineName.Validate(ctx.Get(name)), MachineName.Validate(ctx.Get(newName)));
            return WithBusAsync(ctx, ct, async bus =>
            {
                await new MachineImages(bus).RenameAsync(from, to, ct).ConfigureAwait(false);
                ctx.Out.Line($"Renamed image '{from}' to '{to}'.");
                return ExitCodes.Success;
            });
        });
    }

    private static Command ReadOnly(ShellSession session)
    {
        var name = ImageArgument(session);
        var value = new Argument<string?>("bool") { Arity = ArgumentArity.ZeroOrOne, Description = "yes (default) or no." };
        var command = new Command("read-only", "Mark an image read-only, or writable with 'no'.") { name, value };
        return command.Handle(session, (ctx, ct) =>
        {
            var n = MachineName.Validate(ctx.Get(name));
            var text = ctx.Get(value);
            bool readOnly = text is null || (ImageFormat.ParseBoolean(text)
                ?? throw new UsageException($"Cannot parse '{text}' as a boolean; use yes or no."));
            return WithBusAsync(ctx, ct, async bus =>
            {
                await new MachineImages(bus).MarkReadOnlyAsync(n, readOnly, ct).ConfigureAwait(false);
                ctx.Out.Line($"Image '{n}' is now {(readOnly ? "read-only" : "writable")}.");
                return ExitCodes.Success;
            });
        });
    }

    private static Command Remove(ShellSession session)
    {
        var names = ImageNames(session, "The images to remove.");
        var command = new Command("remove", "Remove images.") { names };
        return command.Handle(session, (ctx, ct) =>
        {
            var list = ValidNames(ctx, names);
            return WithBusAsync(ctx, ct, async bus =>
            {
                var images = new MachineImages(bus);
                foreach (var n in list)
                {
                    await images.RemoveAsync(n, ct).ConfigureAwait(false);
                    ctx.Out.Line($"Removed image '{n}'.");
                }
                return ExitCodes.Success;
            });
        });
    }

    private static Command SetLimit(ShellSession session)
    {
        var args = new Argument<string[]>("[name] bytes")
        {
            Arity = new ArgumentArity(1, 2),
            Description = "An optional image name, then the size (K, M, G, T suffixes, base 1024; '-' or 'infinity' for none).",
        };
        var command = new Command("set-limit", "Set the size limit of an image, or of the whole pool without a name.") { args };
        return command.Handle(session, (ctx, ct) =>
        {
            var values = ctx.Get(args)!;
            string? name = values.Length == 2 ? MachineName.Validate(values[0]) : null;
            if (!ImageFormat.TryParseSize(values[^1], out var bytes))
                throw new UsageException($"Cannot parse size '{values[^1]}'; use a number with an optional K, M, G or T suffix.");
            return WithBusAsync(ctx, ct, async bus =>
            {
                var images = new MachineImages(bus);
                if (name is null)
                    await images.SetPoolLimitAsync(bytes, ct).ConfigureAwait(false);
                else
                    await images.SetLimitAsync(name, bytes, ct).ConfigureAwait(false);
                var what = name is null ? "the image pool" : $"image '{name}'";
                ctx.Out.Line($"Limit of {what} set to {ImageFormat.Bytes(bytes) ?? "none"}.");
                return ExitCodes.Success;
            });
        });
    }

    private static Command Clean(ShellSession session)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Remove every unused image, not only hidden ones." };
        var command = new Command("clean", "Remove hidden images (pull caches), or every unused image with --all.") { all };
        return command.Handle(session, (ctx, ct) => WithBusAsync(ctx, ct, async bus =>
        {
            var removed = await new MachineImages(bus).CleanPoolAsync(ctx.Get(all) ? CleanMode.All : CleanMode.Hidden, ct).ConfigureAwait(false);
            if (ctx.Json)
            {
                ctx.Out.Json(removed.Select(r => new CleanedRow(r.Name, Known(r.FreedBytes))).ToList(), ImageJsonContext.Default.ListCleanedRow);
                return ExitCodes.Success;
            }
            foreach (var r in removed)
            {
                var freed = ImageFormat.Bytes(r.FreedBytes);
                ctx.Out.Line(freed is null ? $"Removed image '{r.Name}'." : $"Removed image '{r.Name}'. Freed exclusive disk space: {freed}.");
            }
            ctx.Out.Line($"Removed {removed.Count} images in total.");
            return ExitCodes.Success;
        }));
    }

    private static Command Import(ShellSession session, string verb, string summary, TransferKind kind)
    {
        var file = new Argument<string>(kind == TransferKind.FileSystem ? "dir" : "file")
        {
            Description = kind == TransferKind.FileSystem ? "The directory tree to copy." : "The file to import.",
        };
        var name = new Argument<string>("name") { Description = "The new image's name." };
        var force = new Option<bool>("--force") { Description = "Replace an existing image of that name." };
        var readOnly = new Option<bool>("--read-only") { Description = "Make the new image read-only." };
        var command = new Command(verb, summary) { file, name, force, readOnly };
        return command.Handle(session, async (ctx, ct) =>
        {
            var n = MachineName.Validate(ctx.Get(name));
            // TODO (dbus): machinectl also imports from standard input ("-"); only files and trees are offered here.
            var path = ctx.Get(file)!;
            using var handle = kind == TransferKind.FileSystem ? TransferFiles.OpenDirectory(path) : TransferFiles.OpenRead(path);
            return await WithBusAsync(ctx, ct, async bus =>
            {
                var imports = new ImportManager(bus);
                return await RunTransferAsync(ctx, imports, verb, n, c => kind switch
                {
                    TransferKind.Tar => imports.ImportTarAsync(handle, n, ctx.Get(force), ctx.Get(readOnly), c),
                    TransferKind.Raw => imports.ImportRawAsync(handle, n, ctx.Get(force), ctx.Get(readOnly), c),
                    _ => imports.ImportFileSystemAsync(handle, n, ctx.Get(force), ctx.Get(readOnly), c),
                }, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
    }

    private static Command Export(ShellSession session, string verb, string summary, bool raw)
    {
        var name = ImageArgument(session);
        var file = new Argument<string>("file") { Description = "The file to write (created or truncated)." };
        var format = new Option<string?>("--format") { Description = "Compression; by default from the file name (.xz, .gz, .bz2, .zst)." };
        OneOf(format, "uncompressed", "xz", "gzip", "bzip2", "zstd");
        var command = new Command(verb, summary) { name, file, format };
        return command.Handle(session, async (ctx, ct) =>
        {
            var n = MachineName.Validate(ctx.Get(name));
            var path = Path.GetFullPath(ctx.Get(file)!);
            var dir = Path.GetDirectoryName(path) ?? "/";
            if (!Directory.Exists(dir))
                throw new TransferFileException($"Cannot write '{path}': its directory '{dir}' does not exist; create it first.");
            if (Directory.Exists(path))
                throw new TransferFileException($"Cannot write '{path}': it is a directory; give a file name.");
            var compression = FormatOf(ctx.Get(format), path);
            return await WithBusAsync(ctx, ct, async bus =>
            {
                using var handle = TransferFiles.CreateWrite(path);
                var imports = new ImportManager(bus);
                return await RunTransferAsync(ctx, imports, verb, n, c => raw
                    ? imports.ExportRawAsync(n, handle, compression, c)
                    : imports.ExportTarAsync(n, handle, compression, c), ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
    }

    private static Command Pull(ShellSession session, string verb, string summary, bool raw)
    {
        var url = new Argument<string>("url") { Description = "An http, https or file URL." };
        var name = new Argument<string?>("name") { Arity = ArgumentArity.ZeroOrOne, Description = "The image name; by default from the URL." };
        var verify = new Option<string>("--verify") { Description = "Verification: no, checksum (SHA256SUMS) or signature (default).", DefaultValueFactory = _ => "signature" };
        OneOf(verify, "no", "checksum", "signature");
        var force = new Option<bool>("--force") { Description = "Replace an existing image of that name." };
        var command = new Command(verb, summary) { url, name, verify, force };
        return command.Handle(session, async (ctx, ct) =>
        {
            var u = ImportManager.ValidateUrl(ctx.Get(url)!);
            var n = ctx.Get(name) is { Length: > 0 } given ? MachineName.Validate(given) : null;
            var mode = ctx.Get(verify) switch { "no" => PullVerify.No, "checksum" => PullVerify.Checksum, _ => PullVerify.Signature };
            return await WithBusAsync(ctx, ct, async bus =>
            {
                var imports = new ImportManager(bus);
                return await RunTransferAsync(ctx, imports, verb, n ?? u, c => raw
                    ? imports.PullRawAsync(u, n, mode, ctx.Get(force), c)
                    : imports.PullTarAsync(u, n, mode, ctx.Get(force), c), ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
    }

    private static Command ListTransfers(ShellSession session)
    {
        var command = new Command("list-transfers", "List importd's running transfers.");
        return command.Handle(session, (ctx, ct) => WithBusAsync(ctx, ct, async bus =>
        {
            var transfers = (await new ImportManager(bus).ListTransfersAsync(ct).ConfigureAwait(false))
                .OrderBy(t => t.Local, StringComparer.Ordinal).ToList();
            if (ctx.Json)
            {
                ctx.Out.Json(transfers.Select(t => new TransferRow(t.Id, t.Type, t.Local, t.Remote, Percent(t.Progress))).ToList(),
                    ImageJsonContext.Default.ListTransferRow);
                return ExitCodes.Success;
            }
            if (transfers.Count == 0)
            {
                if (!ctx.Out.NoLegend)
                    ctx.Out.Line("No transfers.");
                return ExitCodes.Success;
            }
            ctx.Out.Table(["ID", "PERCENT", "TYPE", "LOCAL", "REMOTE"],
                transfers.Select(t => new[]
                {
                    t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Percent(t.Progress) is int p ? $"{p}%" : "n/a", t.Type, t.Local, t.Remote,
                }),
                $"{transfers.Count} transfers listed.");
            return ExitCodes.Success;
        }));
    }

    private static Command CancelTransfer(ShellSession session)
    {
        var ids = new Argument<string[]>("id") { Arity = ArgumentArity.OneOrMore, Description = "Transfer ids, as list-transfers shows them." };
        var command = new Command("cancel-transfer", "Cancel running transfers.") { ids };
        return command.Handle(session, (ctx, ct) =>
        {
            var parsed = new List<uint>();
            foreach (var text in ctx.Get(ids)!)
            {
                if (!uint.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id == 0)
                    throw new UsageException($"Cannot parse transfer id '{text}'; give the number list-transfers shows.");
                parsed.Add(id);
            }
            return WithBusAsync(ctx, ct, async bus =>
            {
                var imports = new ImportManager(bus);
                foreach (var id in parsed)
                {
                    await imports.CancelTransferAsync(id, ct).ConfigureAwait(false);
                    ctx.Out.Line($"Cancelled transfer {id}.");
                }
                return ExitCodes.Success;
            });
        });
    }

    // TODO (dbus): no polkit agent is started, so an unprivileged caller is refused instead of asked.
    /// <summary>Runs one transfer to its end with progress on stderr; the result goes to stdout, a failure is
    /// thrown with the worker's last log line.</summary>
    private static async Task<int> RunTransferAsync(VerbContext ctx, ImportManager imports, string verb, string local,
        Func<CancellationToken, Task<TransferStarted>> start, CancellationToken ct)
    {
        var err = ctx.Session.Error;
        bool terminal = ReferenceEquals(err, Console.Error) && !Console.IsErrorRedirected;
        TransferOutcome outcome;
        using (var view = new TransferProgressView(err, terminal, $"{verb} '{local}'"))
            outcome = await imports.WaitAsync(start, view, view, ct).ConfigureAwait(false);
        if (ctx.Json)
            ctx.Out.Json(new TransferResultJson(outcome.Id, verb, local, outcome.Result), ImageJsonContext.Default.TransferResultJson);
        if (outcome.Succeeded)
        {
            if (!ctx.Json)
                ctx.Out.Line($"Transfer {outcome.Id} ({verb} '{local}'): done.");
            return ExitCodes.Success;
        }
        var why = outcome.Log.Count > 0 ? $": {outcome.Log[^1].TrimEnd('.')}" : "";
        throw new CommandFailedException(
            $"Transfer {outcome.Id} ({verb} '{local}') {outcome.Result}{why}; 'journalctl -u systemd-importd' has the whole log.");
    }

    private static ExportFormat FormatOf(string? given, string path) => given switch
    {
        "uncompressed" => ExportFormat.Uncompressed,
        "xz" => ExportFormat.Xz,
        "gzip" => ExportFormat.Gzip,
        "bzip2" => ExportFormat.Bzip2,
        "zstd" => ExportFormat.Zstd,
        _ when path.EndsWith(".xz", StringComparison.Ordinal) => ExportFormat.Xz,
        _ when path.EndsWith(".gz", StringComparison.Ordinal) => ExportFormat.Gzip,
        _ when path.EndsWith(".bz2", StringComparison.Ordinal) => ExportFormat.Bzip2,
        _ when path.EndsWith(".zst", StringComparison.Ordinal) => ExportFormat.Zstd,
        _ => ExportFormat.Default,
    };

    private static int? Percent(double? progress) => progress is double p ? (int)(p * 100) : null;

    private static ulong? Known(ulong value) => value == Image.Unknown ? null : value;

    private static ulong? Set(ulong usec) => usec is 0 or ulong.MaxValue ? null : usec;

    private static string Raw(ulong value) => value == Image.Unknown ? "18446744073709551615" : value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string? WithExclusive(ulong total, ulong exclusive)
    {
        var t = ImageFormat.Bytes(total);
        if (t is null)
            return null;
        return exclusive != total && exclusive != Image.Unknown ? $"{t} (exclusive: {ImageFormat.Bytes(exclusive)})" : t;
    }
}
