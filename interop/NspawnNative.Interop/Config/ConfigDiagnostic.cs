namespace NspawnNative.Interop.Config;

/// <summary>How serious a <see cref="ConfigDiagnostic"/> is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>The consumer (systemd, nspawn) warns and carries on; for example an unknown key.</summary>
    Warning,

    /// <summary>The consumer rejects the setting (and ignores it); the file needs fixing.</summary>
    Error,
}

/// <summary>
/// One finding about a configuration file: where it is (file, 1-based line and column) and a one-sentence message
/// that says what is wrong and what to do.
/// </summary>
/// <param name="File">The file name as given to the parser.</param>
/// <param name="Line">The 1-based line number.</param>
/// <param name="Column">The 1-based column number.</param>
/// <param name="Severity">Warning or error.</param>
/// <param name="Message">What is wrong and what to do, one sentence ending with a period.</param>
public sealed record ConfigDiagnostic(string File, int Line, int Column, DiagnosticSeverity Severity, string Message)
{
    /// <summary>The compiler-style form: <c>FILE:LINE:COLUMN: warning: MESSAGE</c>.</summary>
    public override string ToString() =>
        $"{File}:{Line}:{Column}: {(Severity == DiagnosticSeverity.Error ? "error" : "warning")}: {Message}";
}
