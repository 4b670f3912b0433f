namespace NspawnNative.Interop.Config;

/// <summary>
/// Every section and key of systemd.nspawn(5) as of systemd 252 (plus the few keys newer releases added), with how
/// each one is read and whether it is privileged.
/// </summary>
public static class NspawnSchema
{
    private static readonly string[] LimitNames =
        ["CPU", "FSIZE", "DATA", "STACK", "CORE", "RSS", "NOFILE", "AS", "NPROC", "MEMLOCK", "LOCKS", "SIGPENDING",
         "MSGQUEUE", "NICE", "RTPRIO", "RTTIME"];

    /// <summary>The sections of a .nspawn file.</summary>
    public static IReadOnlyList<string> Sections { get; } = ["Exec", "Files", "Network"];

    /// <summary>Every known key.</summary>
    public static IReadOnlyList<NspawnKey> Keys { get; } = Build();

    /// <summary>Looks up a key, case-sensitively.</summary>
    /// <param name="section">The section name.</param>
    /// <param name="name">The key name.</param>
    /// <returns>The key, or null when nspawn does not know it.</returns>
    public static NspawnKey? Find(string section, string name) =>
        Keys.FirstOrDefault(k => k.Section == section && k.Name == name);

    /// <summary>A key with the same name in another case or section, to suggest when a key is unknown.</summary>
    /// <param name="section">The section the unknown key is in.</param>
    /// <param name="name">The unknown key.</param>
    public static NspawnKey? Suggest(string section, string name) =>
        Keys.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? Keys.FirstOrDefault(k => k.Section == section && (k.Name.StartsWith(name, StringComparison.OrdinalIgnoreCase)
                                                              || name.StartsWith(k.Name, StringComparison.OrdinalIgnoreCase)));

    private static List<NspawnKey> Build()
    {
        var keys = new List<NspawnKey>();
        void K(string section, string name, NspawnValueKind kind, bool list = false, bool privileged = false, string[]? choices = null) =>
            keys.Add(new NspawnKey(section, name, kind, list, privileged, choices ?? []));

        K("Exec", "Boot", NspawnValueKind.Boolean);
        K("Exec", "Ephemeral", NspawnValueKind.Boolean);
        K("Exec", "ProcessTwo", NspawnValueKind.Boolean);
        K("Exec", "Parameters", NspawnValueKind.Text, list: true);
        K("Exec", "Environment", NspawnValueKind.Text, list: true);
        K("Exec", "User", NspawnValueKind.Text);
        K("Exec", "Capability", NspawnValueKind.Capabilities, list: true, privileged: true);
        K("Exec", "AmbientCapability", NspawnValueKind.Capabilities, list: true, privileged: true);
        K("Exec", "DropCapability", NspawnValueKind.Capabilities, list: true);
        K("Exec", "KillSignal", NspawnValueKind.Signal);
        K("Exec", "Personality", NspawnValueKind.Choice, choices:
            ["x86", "x86-64", "arm", "arm64", "s390", "s390x", "ppc", "ppc64", "ppc64-le", "ia64", "parisc", "parisc64",
             "alpha", "mips", "mips64", "mips-le", "mips64-le", "sparc", "sparc64", "riscv32", "riscv64", "loongarch64"]);
        K("Exec", "MachineID", NspawnValueKind.Id128);
        K("Exec", "WorkingDirectory", NspawnValueKind.AbsolutePath);
        K("Exec", "PivotRoot", NspawnValueKind.Text);
        K("Exec", "PrivateUsers", NspawnValueKind.PrivateUsers, privileged: true);
        K("Exec", "PrivateUsersDelegate", NspawnValueKind.Text, privileged: true);
        K("Exec", "NotifyReady", NspawnValueKind.Boolean);
        K("Exec", "SystemCallFilter", NspawnValueKind.Text, list: true, privileged: true);
        foreach (var limit in LimitNames)
            K("Exec", "Limit" + limit, NspawnValueKind.Limit, privileged: true);
        K("Exec", "Hostname", NspawnValueKind.Text);
        K("Exec", "NoNewPrivileges", NspawnValueKind.Boolean);
        K("Exec", "OOMScoreAdjust", NspawnValueKind.OomScoreAdjust, privileged: true);
        K("Exec", "CPUAffinity", NspawnValueKind.Text, privileged: true);
        K("Exec", "ResolvConf", NspawnValueKind.Choice, choices:
            ["off", "copy-host", "copy-static", "copy-uplink", "copy-stub", "replace-host", "replace-static",
             "replace-uplink", "replace-stub", "bind-host", "bind-static", "bind-uplink", "bind-stub", "delete", "auto"]);
        K("Exec", "LinkJournal", NspawnValueKind.Choice, choices: ["no", "host", "try-host", "guest", "try-guest", "auto"]);
        K("Exec", "Timezone", NspawnValueKind.Choice, choices: ["off", "copy", "bind", "symlink", "delete", "auto"]);
        K("Exec", "SuppressSync", NspawnValueKind.Boolean);
        K("Exec", "SELinuxNamespace", NspawnValueKind.Boolean);

        K("Files", "ReadOnly", NspawnValueKind.Boolean);
        K("Files", "Volatile", NspawnValueKind.Choice, privileged: true, choices:
            ["yes", "no", "y", "n", "true", "false", "t", "f", "on", "off", "1", "0", "state", "overlay"]);
        K("Files", "Bind", NspawnValueKind.Bind, list: true, privileged: true);
        K("Files", "BindReadOnly", NspawnValueKind.Bind, list: true, privileged: true);
        K("Files", "TemporaryFileSystem", NspawnValueKind.Text, list: true, privileged: true);
        K("Files", "Inaccessible", NspawnValueKind.Text, list: true, privileged: true);
        K("Files", "Overlay", NspawnValueKind.Overlay, list: true, privileged: true);
        K("Files", "OverlayReadOnly", NspawnValueKind.Overlay, list: true, privileged: true);
        K("Files", "PrivateUsersChown", NspawnValueKind.Boolean, privileged: true);
        K("Files", "PrivateUsersOwnership", NspawnValueKind.Choice, privileged: true, choices: ["off", "chown", "map", "auto"]);
        K("Files", "BindUser", NspawnValueKind.Text, list: true, privileged: true);
        K("Files", "BindUserShell", NspawnValueKind.Text, privileged: true);

        K("Network", "Private", NspawnValueKind.Boolean, privileged: true);
        K("Network", "NamespacePath", NspawnValueKind.AbsolutePath, privileged: true);
        K("Network", "Interface", NspawnValueKind.Interfaces, list: true, privileged: true);
        K("Network", "MACVLAN", NspawnValueKind.Interfaces, list: true, privileged: true);
        K("Network", "IPVLAN", NspawnValueKind.Interfaces, list: true, privileged: true);
        K("Network", "VirtualEthernet", NspawnValueKind.Boolean, privileged: true);
        K("Network", "VirtualEthernetExtra", NspawnValueKind.Text, list: true, privileged: true);
        K("Network", "Bridge", NspawnValueKind.Interface, privileged: true);
        K("Network", "Zone", NspawnValueKind.Interface, privileged: true);
        K("Network", "Port", NspawnValueKind.Port, list: true, privileged: true);
        return keys;
    }
}
