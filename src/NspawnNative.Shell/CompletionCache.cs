namespace NspawnNative.Shell;

/// <summary>
/// Names for Tab completion that come from the system (machines, images, RDMA devices). Verb groups register a
/// provider per kind; the REPL asks for them when completing an argument of that kind.
/// </summary>
internal sealed class CompletionCache
{
    private readonly Dictionary<string, Func<CancellationToken, Task<IReadOnlyList<string>>>> _providers = new(StringComparer.Ordinal);

    /// <summary>Registers where names of <paramref name="kind"/> ("machine", "image", "device") come from.</summary>
    public void Register(string kind, Func<CancellationToken, Task<IReadOnlyList<string>>> provider) => _providers[kind] = provider;

    /// <summary>The names of <paramref name="kind"/>, or none when no provider exists or it fails (no bus, no sysfs).</summary>
    public IReadOnlyList<string> Get(string kind)
    {
        if (!_providers.TryGetValue(kind, out var provider))
            return [];
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            return provider(cts.Token).GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // Completion is a convenience: a missing bus must not disturb typing.
            return [];
        }
    }
}
