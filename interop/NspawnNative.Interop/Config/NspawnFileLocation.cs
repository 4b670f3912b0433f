namespace NspawnNative.Interop.Config;

/// <summary>Where nspawn looks for the settings file of a machine, and which one it uses.</summary>
/// <param name="Machine">The machine name (validated).</param>
/// <param name="Path">The effective file as seen on the target system, or null when there is none.</param>
/// <param name="IsTrusted">True for /etc/systemd/nspawn and /run/systemd/nspawn, whose privileged settings apply.</param>
/// <param name="Candidates">Every place looked at, in nspawn's order.</param>
public sealed record NspawnFileLocation(string Machine, string? Path, bool IsTrusted, IReadOnlyList<string> Candidates)
{
    /// <summary>The file our edits write: always the trusted one in /etc, which shadows the others.</summary>
    public string WritePath => Candidates[0];

    /// <summary>
    /// Finds the effective .nspawn file of <paramref name="machine"/>: <c>/etc/systemd/nspawn/NAME.nspawn</c>, else
    /// <c>/run/systemd/nspawn/NAME.nspawn</c>, else next to the image, <c>/var/lib/machines/NAME.nspawn</c>.
    /// </summary>
    /// <param name="paths">The roots; the files are looked up under <see cref="HostPaths.Root"/>.</param>
    /// <param name="machine">The machine name; validated before any path is built.</param>
    /// <exception cref="InvalidInputException">The machine name is not valid.</exception>
    public static NspawnFileLocation Find(HostPaths paths, string machine)
    {
        MachineName.Validate(machine);
        // TODO (config): the untrusted candidate should sit next to the image machined reports (GetImage Path), which
        // may be outside /var/lib/machines; until the Systemd area offers that, the default pool is assumed.
        string[] candidates =
        [
            $"/etc/systemd/nspawn/{machine}.nspawn",
            $"/run/systemd/nspawn/{machine}.nspawn",
            $"/var/lib/machines/{machine}.nspawn",
        ];
        for (int i = 0; i < candidates.Length; i++)
        {
            if (System.IO.Path.Exists(paths.UnderRoot(candidates[i])))
                return new NspawnFileLocation(machine, candidates[i], i < 2, candidates);
        }
        return new NspawnFileLocation(machine, null, true, candidates);
    }
}
