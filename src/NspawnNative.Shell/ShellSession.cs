using System.CommandLine;
using System.Reflection;
using Microsoft.Extensions.Logging;
using NspawnNative.Interop;
using NspawnNative.Shell.Commands;
using NspawnNative.Shell.Output;

namespace NspawnNative.Shell;

/// <summary>
/// One parser for all three modes (one-shot, script, REPL): builds the command tree from <see cref="VerbTable"/>,
/// runs one command line, and turns its outcome into an exit status and at most one logged line.
/// </summary>
internal sealed class ShellSession : IDisposable
{
    private readonly TextWriter _out;
    private readonly TextWriter _err;

    public ShellSession(TextWriter stdout, TextWriter stderr, ShellSettings defaults)
    {
        _out = stdout;
        _err = stderr;
        Defaults = defaults;
        Loggers = ShellLogging.Create(stderr, defaults.Verbose);
        Log = Loggers.CreateLogger("nspawn-native");
        Root = new RootCommand(Description);
        // Reached only from a script or REPL line that holds options but no verb; ShellApp starts the REPL or a
        // script itself when the command line has no verb.
        Root.SetAction(int (_) => throw new UsageException("No verb given; 'help' lists them."));
        foreach (var option in Globals.All)
            Root.Options.Add(option);
        foreach (var group in VerbTable.Groups)
        {
            foreach (var command in group.Create(this))
                Root.Subcommands.Add(command);
        }
    }

    public const string Description =
        "nspawn-native: RDMA (InfiniBand, RoCE) for systemd-nspawn containers, natively over systemd's D-Bus APIs, " +
        "sysfs and libibverbs. With no verb it starts an interactive shell.";

    public static string VersionText =>
        $"nspawn-native {Informational(typeof(ShellSession).Assembly)} (interop {Informational(typeof(HostPaths).Assembly)})";

    public RootCommand Root { get; }

    public GlobalOptions Globals { get; } = new();

    /// <summary>The settings given when the shell started; every line's own options override them.</summary>
    public ShellSettings Defaults { get; set; }

    public ILoggerFactory Loggers { get; }

    /// <summary>Standard error, for progress that is neither a result nor a log line.</summary>
    public TextWriter Error => _err;

    public ILogger Log { get; }

    /// <summary>True while the REPL runs: verbs that only make sense one-shot can say so.</summary>
    public bool Interactive { get; set; }

    /// <summary>Names the REPL offers for Tab completion of machines, images and devices, refreshed by verbs.</summary>
    public CompletionCache Completions { get; } = new();

    public VerbContext CreateContext(ParseResult parse)
    {
        var settings = Globals.Resolve(parse, Defaults);
        // A mistyped --root would otherwise become a new tree of configuration files nobody reads.
        if (!settings.Paths.IsLiveRoot && !Directory.Exists(settings.Paths.Root))
            throw new UsageException($"--root '{settings.Paths.Root}' is not a directory; give the root of an image or a directory prepared for one.");
        return new VerbContext(parse, settings, new ShellOutput(_out, settings.NoLegend), Loggers, this);
    }

    /// <summary>Parses and runs one command line. Never throws: failures are logged once and become the status.</summary>
    public async Task<int> ExecuteAsync(IReadOnlyList<string> tokens, CancellationToken cancellationToken)
    {
        var parse = Root.Parse(tokens);
        if (parse.Errors.Count > 0)
        {
            var verb = VerbPath(parse);
            Log.LogError("{Error} Try 'help{Verb}'.", EndSentence(parse.Errors[0].Message), verb.Length > 0 ? " " + verb : "");
            return ExitCodes.Usage;
        }

        var verbose = Globals.Resolve(parse, Defaults).Verbose;
        try
        {
            var config = new InvocationConfiguration
            {
                Output = _out,
                Error = _err,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            };
            return await parse.InvokeAsync(config, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            Log.LogError("{Error} Try 'help {Verb}'.", EndSentence(e.Message), VerbPath(parse));
            return ExitCodes.Usage;
        }
        catch (CommandFailedException e)
        {
            if (e.Message.Length > 0)
                Log.LogError("{Error}", e.Message);
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.LogError("Interrupted.");
            return ExitCodes.Interrupted;
        }
        catch (NspawnNativeException e)
        {
            Log.LogError(verbose ? e : null, "{Error}", e.Message);
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            // Not one of ours: still one line, the type says what broke; -v shows where.
            Log.LogError(verbose ? e : null, "{Verb} failed: {Error} ({Type}).", VerbPath(parse), e.Message, e.GetType().Name);
            return ExitCodes.Failure;
        }
    }

    /// <summary>Prints the help of the root or of one verb; unknown verbs are a usage error.</summary>
    public int ShowHelp(IReadOnlyList<string> verbs, TextWriter writer)
    {
        Command current = Root;
        foreach (var verb in verbs)
        {
            var next = current.Subcommands.FirstOrDefault(c => c.Name == verb || c.Aliases.Contains(verb));
            if (next is null)
            {
                Log.LogError("No verb '{Verb}'. Try 'help'.", string.Join(' ', verbs));
                return ExitCodes.Usage;
            }
            current = next;
        }
        var parse = Root.Parse([.. verbs, "--help"]);
        if (parse.Errors.Count > 0)
        {
            Log.LogError("No verb '{Verb}'. Try 'help'.", string.Join(' ', verbs));
            return ExitCodes.Usage;
        }
        parse.Invoke(new InvocationConfiguration { Output = writer, Error = _err });
        if (verbs.Count == 0)
        {
            writer.WriteLine(ExitCodes.HelpText);
            writer.WriteLine("Modes: no verb starts the interactive shell; 'nspawn-native VERB ...' runs one command;");
            writer.WriteLine("'nspawn-native -f FILE' or commands on standard input run a script (stops at the first failure unless --keep-going).");
        }
        return ExitCodes.Success;
    }

    public void Dispose() => Loggers.Dispose();

    private static string VerbPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null && r.Command is not RootCommand; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Command.Name);
        return string.Join(' ', names);
    }

    private static string EndSentence(string text) => text.EndsWith('.') ? text : text + ".";

    private static string Informational(Assembly assembly)
    {
        var v = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        int plus = v.IndexOf('+');
        return plus > 0 ? v[..plus] : v;
    }
}
