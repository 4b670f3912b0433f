using NspawnNative.Interop.Posix;

namespace NspawnNative.Interop.Systemd;

/// <summary>How a job ended, from systemd's JobRemoved signal.</summary>
/// <param name="Id">The job ID.</param>
/// <param name="Job">The job's object path.</param>
/// <param name="Unit">The unit the job was for.</param>
/// <param name="Result">"done", "canceled", "timeout", "failed", "dependency" or "skipped".</param>
public sealed record JobResult(uint Id, string Job, string Unit, string Result)
{
    /// <summary>True when the job did what it was asked.</summary>
    public bool Succeeded => Result == "done";
}

/// <summary>One change EnableUnitFiles or DisableUnitFiles made.</summary>
/// <param name="Type">"symlink", "unlink", ...</param>
/// <param name="FileName">The symlink or file changed.</param>
/// <param name="Destination">Where a symlink points, or empty.</param>
public sealed record UnitFileChange(string Type, string FileName, string Destination);

/// <summary>One DeviceAllow entry of a unit.</summary>
/// <param name="Path">A /dev path, or "char-CLASS"/"block-CLASS" from /proc/devices.</param>
/// <param name="Access">Any of r, w and m (read, write, mknod).</param>
public sealed record DeviceAllowEntry(string Path, string Access = "rwm");

/// <summary>The memory-lock limit of a machine: what its unit says, and what its running leader actually got.</summary>
/// <param name="Unit">The machine's unit, for example <c>systemd-nspawn@web.service</c>.</param>
/// <param name="UnitLimit">The unit's LimitMEMLOCK (soft and hard).</param>
/// <param name="LeaderPid">The leader's PID, or 0 when the machine is not running.</param>
/// <param name="LeaderLimit">"Max locked memory" from the leader's /proc/PID/limits; null when not running.</param>
public sealed record MemlockReport(string Unit, ResourceLimit UnitLimit, uint LeaderPid, ResourceLimit? LeaderLimit);
