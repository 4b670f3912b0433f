using Tmds.DBus.Protocol;

namespace NspawnNative.Interop.Systemd;

/// <summary>Turns D-Bus error replies from systemd, machined and importd into typed exceptions with one
/// operator-facing sentence.</summary>
public static class DBusErrors
{
    /// <summary>Maps an error reply to the exception that says what failed, why and what to do.</summary>
    /// <param name="e">The error reply.</param>
    /// <param name="context">What the call was about (for example "machine 'web'" or "unit 'x.service'").</param>
    /// <returns>The exception to throw.</returns>
    public static SystemdException Map(DBusErrorReplyException e, string context)
    {
        var name = e.ErrorName ?? "";
        var detail = (e.ErrorMessage ?? name).TrimEnd('.');
        return name switch
        {
            "org.freedesktop.machine1.NoSuchMachine" => new NotFoundException($"No machine {Quoted(context)}: {detail}; 'list' shows the running machines.", e),
            "org.freedesktop.machine1.NoSuchImage" => new NotFoundException($"No image {Quoted(context)}: {detail}; 'list-images' shows the images.", e),
            "org.freedesktop.machine1.NoMachineForPID" => new NotFoundException($"No machine for {context}: {detail}.", e),
            "org.freedesktop.systemd1.NoSuchUnit" => new NotFoundException($"No unit {Quoted(context)}: {detail}.", e),
            "org.freedesktop.systemd1.NoSuchJob" => new NotFoundException($"No job for {context}: {detail}.", e),
            "org.freedesktop.import1.NoSuchTransfer" => new NotFoundException($"No transfer {Quoted(context)}: {detail}; 'list-transfers' shows them.", e),
            "org.freedesktop.DBus.Error.AccessDenied" or "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired"
                or "org.freedesktop.PolicyKit1.Error.NotAuthorized" =>
                new AccessDeniedException($"Access denied for {context}: {detail}; run as root, or allow it with polkit.", e),
            "org.freedesktop.DBus.Error.ServiceUnknown" or "org.freedesktop.DBus.Error.NameHasNoOwner" =>
                new ServiceMissingException(ServiceMissing(detail), e),
            _ => new SystemdCallException($"{Capital(context)}: {detail} ({name}).", name, e),
        };
    }

    private static string ServiceMissing(string detail)
    {
        if (detail.Contains("machine1", StringComparison.Ordinal))
            return $"machined is not available: {detail}; install systemd-container (it provides systemd-machined).";
        if (detail.Contains("import1", StringComparison.Ordinal))
            return $"importd is not available: {detail}; install systemd-container (it provides systemd-importd).";
        return $"A systemd service is not available: {detail}; is systemd running here?";
    }

    private static string Quoted(string context)
    {
        // "machine 'web'" -> "'web'": the kind is already said by the sentence.
        int q = context.IndexOf('\'');
        return q >= 0 ? context[q..] : $"'{context}'";
    }

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
