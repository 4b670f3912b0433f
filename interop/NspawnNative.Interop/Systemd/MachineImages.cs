using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Systemd;

/// <summary>
/// The image methods of org.freedesktop.machine1.Manager (machined), as <c>machinectl list-images</c>,
/// <c>image-status</c>, <c>clone</c>, <c>rename</c>, <c>read-only</c>, <c>remove</c>, <c>set-limit</c> and
/// <c>clean</c> use them. Image names are validated with <see cref="MachineName.Validate"/> before any call. Slow
/// operations (clone, remove, clean) answer only when machined has finished them; cancel the token to stop waiting.
/// </summary>
/// <param name="bus">The connection to the bus machined answers on.</param>
public sealed class MachineImages(SystemdBus bus)
{
    /// <summary>machined's bus name.</summary>
    public const string Service = "org.freedesktop.machine1";

    /// <summary>machined's manager object.</summary>
    public const string ObjectPath = "/org/freedesktop/machine1";

    /// <summary>The manager interface.</summary>
    public const string Interface = "org.freedesktop.machine1.Manager";

    /// <summary>The interface of image objects.</summary>
    public const string ImageInterface = "org.freedesktop.machine1.Image";

    /// <summary>Lists every image machined knows, hidden ones included (<c>ListImages</c>).</summary>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task<IReadOnlyList<ImageSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var message = Call("ListImages", null, MethodCall.None);
        return bus.CallAsync(message, static (m, _) => ReadImages(m), "the image list", cancellationToken);
    }

    /// <summary>Returns machined's object path of image <paramref name="name"/> (<c>GetImage</c>).</summary>
    /// <param name="name">The image name.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    /// <exception cref="NotFoundException">No such image.</exception>
    public Task<string> GetObjectPathAsync(string name, CancellationToken cancellationToken)
    {
        var message = Call("GetImage", "s", (ref MessageWriter w) => w.WriteString(MachineName.Validate(name)));
        return bus.CallAsync(message, static (m, _) => m.GetBodyReader().ReadObjectPathAsString(), Context(name), cancellationToken);
    }

    /// <summary>Reads the properties of image <paramref name="name"/> (<c>GetImage</c>, then the Image
    /// object's properties).</summary>
    /// <param name="name">The image name.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    /// <exception cref="NotFoundException">No such image.</exception>
    public async Task<Image> GetAsync(string name, CancellationToken cancellationToken)
    {
        var path = await GetObjectPathAsync(name, cancellationToken).ConfigureAwait(false);
        var properties = await DBusProperties.GetAllAsync(bus, Service, path, ImageInterface, Context(name), cancellationToken)
            .ConfigureAwait(false);
        return Image.FromProperties(properties);
    }

    /// <summary>Reads the image's os-release fields (<c>GetImageOSRelease</c>), for example PRETTY_NAME.</summary>
    /// <param name="name">The image name.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task<IReadOnlyDictionary<string, string>> GetOSReleaseAsync(string name, CancellationToken cancellationToken)
    {
        var message = Call("GetImageOSRelease", "s", (ref MessageWriter w) => w.WriteString(MachineName.Validate(name)));
        return bus.CallAsync(message, static (m, _) => ReadStringMap(m), Context(name), cancellationToken);
    }

    /// <summary>Copies image <paramref name="name"/> to <paramref name="newName"/> (<c>CloneImage</c>).</summary>
    /// <param name="name">The image to copy.</param>
    /// <param name="newName">The name of the copy.</param>
    /// <param name="readOnly">Make the copy read-only.</param>
    /// <param name="cancellationToken">Abandons the wait (machined goes on copying).</param>
    public Task CloneAsync(string name, string newName, bool readOnly, CancellationToken cancellationToken)
    {
        MachineName.Validate(name);
        MachineName.Validate(newName);
        var message = Call("CloneImage", "ssb", (ref MessageWriter w) =>
        {
            w.WriteString(name);
            w.WriteString(newName);
            w.WriteBool(readOnly);
        });
        return bus.CallAsync(message, Context(name), cancellationToken);
    }

    /// <summary>Renames image <paramref name="name"/> to <paramref name="newName"/> (<c>RenameImage</c>).</summary>
    /// <param name="name">The image to rename.</param>
    /// <param name="newName">The new name.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task RenameAsync(string name, string newName, CancellationToken cancellationToken)
    {
        MachineName.Validate(name);
        MachineName.Validate(newName);
        var message = Call("RenameImage", "ss", (ref MessageWriter w) =>
        {
            w.WriteString(name);
            w.WriteString(newName);
        });
        return bus.CallAsync(message, Context(name), cancellationToken);
    }

    /// <summary>Marks image <paramref name="name"/> read-only or writable (<c>MarkImageReadOnly</c>).</summary>
    /// <param name="name">The image.</param>
    /// <param name="readOnly">True for read-only, false for writable.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task MarkReadOnlyAsync(string name, bool readOnly, CancellationToken cancellationToken)
    {
        MachineName.Validate(name);
        var message = Call("MarkImageReadOnly", "sb", (ref MessageWriter w) =>
        {
            w.WriteString(name);
            w.WriteBool(readOnly);
        });
        return bus.CallAsync(message, Context(name), cancellationToken);
    }

    /// <summary>Removes image <paramref name="name"/> (<c>RemoveImage</c>).</summary>
    /// <param name="name">The image.</param>
    /// <param name="cancellationToken">Abandons the wait (machined goes on removing).</param>
    public Task RemoveAsync(string name, CancellationToken cancellationToken)
    {
        var message = Call("RemoveImage", "s", (ref MessageWriter w) => w.WriteString(MachineName.Validate(name)));
        return bus.CallAsync(message, Context(name), cancellationToken);
    }

    /// <summary>Sets the size limit of one image (<c>SetImageLimit</c>); needs btrfs quotas.</summary>
    /// <param name="name">The image.</param>
    /// <param name="bytes">The limit in bytes; <see cref="Image.Unknown"/> removes it.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task SetLimitAsync(string name, ulong bytes, CancellationToken cancellationToken)
    {
        MachineName.Validate(name);
        var message = Call("SetImageLimit", "st", (ref MessageWriter w) =>
        {
            w.WriteString(name);
            w.WriteUInt64(bytes);
        });
        return bus.CallAsync(message, Context(name), cancellationToken);
    }

    /// <summary>Sets the size limit of the whole pool, /var/lib/machines (<c>SetPoolLimit</c>).</summary>
    /// <param name="bytes">The limit in bytes; <see cref="Image.Unknown"/> removes it.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task SetPoolLimitAsync(ulong bytes, CancellationToken cancellationToken)
    {
        var message = Call("SetPoolLimit", "t", (ref MessageWriter w) => w.WriteUInt64(bytes));
        return bus.CallAsync(message, "the image pool", cancellationToken);
    }

    /// <summary>Removes hidden images, or every unused image (<c>CleanPool</c>), and returns what went.</summary>
    /// <param name="mode">Which images to remove.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public Task<IReadOnlyList<CleanedImage>> CleanPoolAsync(CleanMode mode, CancellationToken cancellationToken)
    {
        var message = Call("CleanPool", "s", (ref MessageWriter w) => w.WriteString(mode == CleanMode.All ? "all" : "hidden"));
        return bus.CallAsync(message, static (m, _) => ReadCleaned(m), "the image pool", cancellationToken);
    }

    private MessageBuffer Call(string member, string? signature, MethodCall.Body body) =>
        MethodCall.Create(bus, Service, ObjectPath, Interface, member, signature, body);

    private static string Context(string name) => $"image '{name}'";

    private static IReadOnlyList<ImageSummary> ReadImages(Message message)
    {
        var reader = message.GetBodyReader();
        var list = new List<ImageSummary>();
        var end = reader.ReadArrayStart(DBusType.Struct);
        while (reader.HasNext(end))
        {
            reader.AlignStruct();
            list.Add(new ImageSummary(reader.ReadString(), reader.ReadString(), reader.ReadBool(), reader.ReadUInt64(),
                reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadObjectPathAsString()));
        }
        return list;
    }

    private static IReadOnlyList<CleanedImage> ReadCleaned(Message message)
    {
        var reader = message.GetBodyReader();
        var list = new List<CleanedImage>();
        var end = reader.ReadArrayStart(DBusType.Struct);
        while (reader.HasNext(end))
        {
            reader.AlignStruct();
            list.Add(new CleanedImage(reader.ReadString(), reader.ReadUInt64()));
        }
        return list;
    }

    private static IReadOnlyDictionary<string, string> ReadStringMap(Message message)
    {
        var reader = message.GetBodyReader();
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var end = reader.ReadDictionaryStart();
        while (reader.HasNext(end))
        {
            reader.AlignStruct();
            var key = reader.ReadString();
            map[key] = reader.ReadString();
        }
        return map;
    }
}
