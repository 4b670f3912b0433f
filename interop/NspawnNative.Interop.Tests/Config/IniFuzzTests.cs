using System.Text;
using NspawnNative.Interop.Config;

namespace NspawnNative.Interop.Tests.Config;

/// <summary>Random and mutated inputs: parsing and validation never throw, and rendering always gives the input back.</summary>
public class IniFuzzTests
{
    private const string Alphabet = "[]=#;\\ \t\r\n:+-/abcXYZ019@\"'$%\0é";

    private static readonly string[] Seeds =
    [
        "[Exec]\nBoot=yes\nLimitMEMLOCK=8M:infinity\nCapability=CAP_IPC_LOCK\n",
        "[Files]\nBind=/a\\:b:/c:norbind\nOverlay=/::\n",
        "[Service]\nDeviceAllow=char-pts rw\nRestartForceExitStatus=RTMIN+99\nExecStart=/x \\\n  y\n",
        "[Network]\nPort=tcp:80:8080\nBridge=br0\n",
    ];

    public static TheoryData<int> Rounds() => [.. Enumerable.Range(0, 8)];

    [Theory]
    [MemberData(nameof(Rounds))]
    public void Random_text_never_throws_and_always_round_trips(int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < 250; i++)
        {
            var sb = new StringBuilder();
            int length = random.Next(0, 200);
            for (int j = 0; j < length; j++)
                sb.Append(Alphabet[random.Next(Alphabet.Length)]);
            Check(sb.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(Rounds))]
    public void Mutated_real_files_never_throw_and_always_round_trip(int seed)
    {
        var random = new Random(1000 + seed);
        var corpus = Seeds.Concat(Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures"), "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).Select(File.ReadAllText)).ToList();
        for (int i = 0; i < 250; i++)
        {
            var text = new StringBuilder(corpus[random.Next(corpus.Count)]);
            int mutations = random.Next(1, 8);
            for (int m = 0; m < mutations && text.Length > 0; m++)
            {
                int at = random.Next(text.Length);
                switch (random.Next(3))
                {
                    case 0: text.Remove(at, Math.Min(text.Length - at, random.Next(1, 10))); break;
                    case 1: text.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                    default: text[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                }
            }
            Check(text.ToString());
        }
    }

    private static void Check(string text)
    {
        var doc = IniDocument.Parse(text, "fuzz");
        Assert.Equal(text, doc.Render());
        NspawnValidator.Validate(doc, trusted: false);
        UnitValidator.Validate(doc);
        NspawnSettingsFile.Effective(doc, trusted: true);
        foreach (var d in doc.Diagnostics)
            Assert.True(d.Line >= 1 && d.Column >= 1, d.ToString());
        // Edits on arbitrary documents either work or refuse with our own exception type.
        try
        {
            var edited = doc.Set("Exec", "Boot", "yes").Add("Files", "Bind", "/x").Remove("Exec", "Boot");
            Assert.Single(edited.Get("Files", "Bind"), e => e.Value == "/x");
        }
        catch (NspawnNativeException)
        {
        }
    }
}
