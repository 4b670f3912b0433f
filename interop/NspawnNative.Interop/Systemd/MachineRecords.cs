namespace NspawnNative.Interop.Systemd;

/// <summary>One row of machined's ListMachines.</summary>
/// <param name="Name">The machine name.</param>
/// <param name="Class">"container" or "vm".</param>
/// <param name="Service">Who registered it, for example "systemd-nspawn".</param>
/// <param name="ObjectPath">The machine's object path on the bus.</param>
public sealed record MachineListing(string Name, string Class, string Service, string ObjectPath);

/// <summary>Which processes of a machine a signal goes to.</summary>
public enum KillWhom
{
    /// <summary>Only the machine's leader (its init).</summary>
    Leader,

    /// <summary>Every process of the machine.</summary>
    All,
}

/// <summary>One IP address of a machine (machined's GetMachineAddresses).</summary>
/// <param name="Family">AF_INET (2) or AF_INET6 (10).</param>
/// <param name="Address">The address.</param>
public sealed record MachineAddress(int Family, System.Net.IPAddress Address);

/// <summary>The pseudo-terminal machined opened for a shell or command in a machine.</summary>
/// <param name="Pty">The master side of the pty; reading it yields the command's output, writing it feeds its
/// input. The caller owns and disposes it.</param>
/// <param name="PtyPath">The path of the pty's slave side, as the machine sees it.</param>
public sealed record MachineShell(Microsoft.Win32.SafeHandles.SafeFileHandle Pty, string PtyPath);
