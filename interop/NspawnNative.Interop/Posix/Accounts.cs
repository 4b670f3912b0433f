using Mono.Unix.Native;

namespace NspawnNative.Interop.Posix;

/// <summary>
/// User and group names for numeric ids, through the C library's name service (getpwuid_r/getgrgid_r via
/// Mono.Unix), so LDAP or sssd accounts resolve as <c>ls -l</c> shows them. Ids without a name give null.
/// </summary>
public static class Accounts
{
    /// <summary>The name of user <paramref name="uid"/> on this host, or null when it has none.</summary>
    /// <param name="uid">A numeric user id.</param>
    public static string? UserName(uint uid)
    {
        try
        {
            return Syscall.getpwuid_r(uid, new Passwd(), out var entry) == 0 ? entry?.pw_name : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The name of group <paramref name="gid"/> on this host, or null when it has none.</summary>
    /// <param name="gid">A numeric group id.</param>
    public static string? GroupName(uint gid)
    {
        try
        {
            return Syscall.getgrgid_r(gid, new Group(), out var entry) == 0 ? entry?.gr_name : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }
}
