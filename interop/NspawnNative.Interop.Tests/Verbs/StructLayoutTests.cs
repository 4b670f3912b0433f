using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using NspawnNative.Interop.Verbs;

namespace NspawnNative.Interop.Tests.Verbs;

/// <summary>
/// Proves every mirrored verbs struct against the real header: a C program, generated from our structs' fields,
/// prints sizeof and offsetof as gcc computes them from &lt;infiniband/verbs.h&gt;, and each must match ours.
/// </summary>
public class StructLayoutTests
{
    // Mirrors that cover only the head of the C struct: their offsets are checked, their size is not.
    private static readonly HashSet<string> HeadOnly = ["ibv_cq"];

    private static IEnumerable<Type> Mirrors() => typeof(IbvNative).Assembly.GetTypes()
        .Where(t => t.IsValueType && t.Namespace == typeof(IbvNative).Namespace && t.Name.StartsWith("ibv_", StringComparison.Ordinal))
        .OrderBy(t => t.Name, StringComparer.Ordinal);

    private static IEnumerable<FieldInfo> MirroredFields(Type t) => t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
        .Where(f => !f.Name.StartsWith('_') || f.Name.StartsWith("_compat_", StringComparison.Ordinal));

    [Fact]
    public void Every_mirrored_struct_has_the_size_and_offsets_of_the_c_header()
    {
        var expected = CompileAndRun(GenerateProgram());
        var mismatches = new List<string>();
        foreach (var t in Mirrors())
        {
            if (!HeadOnly.Contains(t.Name))
                Compare(mismatches, $"sizeof {t.Name}", Marshal.SizeOf(t), expected);
            foreach (var f in MirroredFields(t))
                Compare(mismatches, $"{t.Name}.{f.Name}", (long)Marshal.OffsetOf(t, f.Name), expected);
        }
        Compare(mismatches, "verbs_context query_port before context", -IbvNative.VerbsContextQueryPortOffset, expected);
        Compare(mismatches, "verbs_context sz before context", -IbvNative.VerbsContextSzOffset, expected);
        Assert.True(mismatches.Count == 0, string.Join('\n', mismatches));
        Assert.True(expected.Count > 150, $"only {expected.Count} values came from the C program");
    }

    [Fact]
    public void The_ops_table_slots_are_where_reference_md_says()
    {
        Assert.Equal(8 + 88, (int)Marshal.OffsetOf<ibv_context>("ops") + (int)Marshal.OffsetOf<ibv_context_ops>("poll_cq"));
        Assert.Equal(8 + 96, (int)Marshal.OffsetOf<ibv_context>("ops") + (int)Marshal.OffsetOf<ibv_context_ops>("req_notify_cq"));
        Assert.Equal(208, (int)Marshal.OffsetOf<ibv_context>("ops") + (int)Marshal.OffsetOf<ibv_context_ops>("post_send"));
        Assert.Equal(216, (int)Marshal.OffsetOf<ibv_context>("ops") + (int)Marshal.OffsetOf<ibv_context_ops>("post_recv"));
    }

    private static void Compare(List<string> mismatches, string key, long ours, Dictionary<string, long> expected)
    {
        if (!expected.TryGetValue(key, out var c))
            mismatches.Add($"{key}: the C program printed nothing");
        else if (c != ours)
            mismatches.Add($"{key}: C says {c}, C# says {ours}");
    }

    private static string GenerateProgram()
    {
        var sb = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include <infiniband/verbs.h>\nint main(void)\n{\n");
        foreach (var t in Mirrors())
        {
            var c = t.Name == "ibv_gid" ? "union ibv_gid" : $"struct {t.Name}";
            sb.Append($"  printf(\"sizeof {t.Name}=%zu\\n\", sizeof({c}));\n");
            foreach (var f in MirroredFields(t))
                sb.Append($"  printf(\"{t.Name}.{f.Name}=%zu\\n\", offsetof({c}, {f.Name}));\n");
        }
        sb.Append("  printf(\"verbs_context query_port before context=%zu\\n\", offsetof(struct verbs_context, context) - offsetof(struct verbs_context, query_port));\n");
        sb.Append("  printf(\"verbs_context sz before context=%zu\\n\", offsetof(struct verbs_context, context) - offsetof(struct verbs_context, sz));\n");
        sb.Append("  return 0;\n}\n");
        return sb.ToString();
    }

    private static Dictionary<string, long> CompileAndRun(string program)
    {
        var gcc = new[] { "/usr/bin/gcc", "/usr/local/bin/gcc" }.FirstOrDefault(File.Exists);
        Assert.SkipWhen(gcc is null, "gcc is not installed; run native-tests/install-deps.sh (build-essential).");
        Assert.SkipUnless(File.Exists("/usr/include/infiniband/verbs.h"),
            "'/usr/include/infiniband/verbs.h' is missing; run native-tests/install-deps.sh (libibverbs-dev).");
        var dir = Directory.CreateTempSubdirectory("nn-layout-");
        try
        {
            var source = Path.Combine(dir.FullName, "layout.c");
            var exe = Path.Combine(dir.FullName, "layout");
            File.WriteAllText(source, program);
            var build = Run(gcc!, "-std=gnu11", "-o", exe, source);
            Assert.True(build.Code == 0, $"gcc failed:\n{build.Err}\n{program}");
            var run = Run(exe);
            Assert.True(run.Code == 0, $"the layout program failed: {run.Err}");
            return run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split('='))
                .ToDictionary(p => p[0], p => long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static (int Code, string Out, string Err) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }
}
