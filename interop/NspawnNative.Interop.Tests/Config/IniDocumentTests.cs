using NspawnNative.Interop.Config;

namespace NspawnNative.Interop.Tests.Config;

public class IniDocumentTests
{
    [Theory]
    [InlineData("")]
    [InlineData("[Exec]\nBoot=yes\n")]
    [InlineData("[Exec]\nBoot=yes")]
    [InlineData("\n\n[Exec]\r\nBoot=yes\r\n  # indented comment\n; semicolon\n")]
    [InlineData("[Service]\nExecStart=/bin/a \\\n  --flag \\\n# comment inside\n  --other\n")]
    [InlineData("[Service]\nExecStart=/bin/a \\")]
    [InlineData("@SERVICE_WATCHDOG@\n[Broken\n=novalue\n")]
    public void Parse_then_render_gives_back_the_same_text(string text)
    {
        Assert.Equal(text, IniDocument.Parse(text, "t").Render());
    }

    [Fact]
    public void A_trailing_hash_is_part_of_the_value()
    {
        var doc = IniDocument.Parse("[Files]\nBind=/a#b # not a comment\n", "t");
        Assert.Equal("/a#b # not a comment", doc.Get("Files", "Bind").Single().Value);
    }

    [Fact]
    public void Comments_start_only_at_the_first_non_blank_character()
    {
        var doc = IniDocument.Parse("[Exec]\n  # Boot=yes\n;Boot=no\nBoot=1\n", "t");
        Assert.Equal(["1"], doc.Get("Exec", "Boot").Select(e => e.Value));
        Assert.Equal(2, doc.Entries.Count(e => e.Kind == IniEntryKind.Comment));
    }

    [Fact]
    public void Continuation_lines_join_with_a_space_and_skip_comment_lines()
    {
        var doc = IniDocument.Parse("[Service]\nExecStart=/bin/a \\\n# skipped\n  --flag\nKillMode=mixed\n", "t");
        var exec = doc.Get("Service", "ExecStart").Single();
        Assert.Equal("/bin/a    --flag", exec.Value);
        Assert.Equal(2, exec.Line);
        Assert.Equal(5, doc.Get("Service", "KillMode").Single().Line);
    }

    [Fact]
    public void A_line_without_equals_is_kept_and_warned_about_with_its_position()
    {
        var doc = IniDocument.Parse("[Service]\nType=notify\n  @SERVICE_WATCHDOG@\n", "x.service");
        var d = Assert.Single(doc.Diagnostics);
        Assert.Equal(("x.service", 3, 3, DiagnosticSeverity.Warning), (d.File, d.Line, d.Column, d.Severity));
        Assert.Contains("'='", d.Message);
        Assert.Equal(IniEntryKind.Invalid, doc.Entries[2].Kind);
        Assert.EndsWith(".", d.Message);
    }

    [Fact]
    public void An_assignment_before_any_section_is_warned_about()
    {
        var doc = IniDocument.Parse("Boot=yes\n[Exec]\n", "t");
        Assert.Contains(doc.Diagnostics, d => d.Line == 1 && d.Message.Contains("before any section"));
    }

    [Fact]
    public void The_value_column_points_at_the_value()
    {
        var doc = IniDocument.Parse("[Exec]\nPersonality = shy\n", "t");
        Assert.Equal(15, doc.Get("Exec", "Personality").Single().ValueColumn);
    }

    [Fact]
    public void Set_rewrites_only_the_last_assignment_and_drops_earlier_ones()
    {
        var text = "# head\n[Exec]\nBoot=no # x\nUser=a\nBoot=yes\n\n[Files]\nBind=/a\n";
        var edited = IniDocument.Parse(text, "t").Set("Exec", "Boot", "on").Render();
        Assert.Equal("# head\n[Exec]\nUser=a\nBoot=on\n\n[Files]\nBind=/a\n", edited);
    }

    [Fact]
    public void Set_of_the_same_value_changes_nothing()
    {
        var doc = IniDocument.Parse("[Exec]\nBoot=yes", "t");
        Assert.Same(doc, doc.Set("Exec", "Boot", "yes"));
    }

    [Fact]
    public void Set_keeps_a_missing_final_newline()
    {
        Assert.Equal("[Exec]\nBoot=no", IniDocument.Parse("[Exec]\nBoot=yes", "t").Set("Exec", "Boot", "no").Render());
    }

    [Fact]
    public void Add_goes_after_the_last_value_of_the_key_and_is_idempotent()
    {
        var doc = IniDocument.Parse("[Files]\nBind=/a\nBindReadOnly=/r\nBind=/b\n# trailing comment\n\n[Network]\nZone=z\n", "t");
        var added = doc.Add("Files", "Bind", "/c");
        Assert.Equal("[Files]\nBind=/a\nBindReadOnly=/r\nBind=/b\nBind=/c\n# trailing comment\n\n[Network]\nZone=z\n", added.Render());
        Assert.Same(added, added.Add("Files", "Bind", "/c"));
    }

    [Fact]
    public void Add_to_a_missing_section_appends_the_section_after_a_blank_line()
    {
        var edited = IniDocument.Parse("[Exec]\nBoot=yes", "t").Add("Network", "VirtualEthernet", "no").Render();
        Assert.Equal("[Exec]\nBoot=yes\n\n[Network]\nVirtualEthernet=no\n", edited);
    }

    [Fact]
    public void Add_lands_before_the_comments_that_introduce_the_next_section()
    {
        var edited = IniDocument.Parse("[Exec]\nBoot=yes\n\n# network\n[Network]\n", "t").Add("Exec", "User", "u").Render();
        Assert.Equal("[Exec]\nBoot=yes\nUser=u\n\n# network\n[Network]\n", edited);
    }

    [Fact]
    public void Remove_takes_out_the_matching_lines_only()
    {
        var doc = IniDocument.Parse("[Files]\nBind=/a\nBind=/b\nBind=/a\n", "t");
        Assert.Equal("[Files]\nBind=/b\n", doc.Remove("Files", "Bind", "/a").Render());
        Assert.Equal("[Files]\n", doc.Remove("Files", "Bind").Render());
        Assert.Same(doc, doc.Remove("Files", "Bind", "/z"));
    }

    [Fact]
    public void Keys_and_sections_are_case_sensitive()
    {
        var doc = IniDocument.Parse("[exec]\nboot=yes\n", "t");
        Assert.Empty(doc.Get("Exec", "Boot"));
        Assert.Single(doc.Get("exec", "boot"));
    }

    [Theory]
    [InlineData("Exec", "Bo ot", "1")]
    [InlineData("Exec", "Boot", "a\nb")]
    [InlineData("Ex]ec", "Boot", "1")]
    [InlineData("Exec", "Boot", "trailing\\")]
    public void Edits_that_cannot_be_one_line_are_refused(string section, string key, string value)
    {
        Assert.Throws<InvalidInputException>(() => IniDocument.Parse("", "t").Set(section, key, value));
    }
}
