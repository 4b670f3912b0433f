using NspawnNative.Interop.Config;

namespace NspawnNative.Interop.Tests.Config;

public sealed class AtomicWriterMaskTests
{
    [Fact]
    public void A_link_to_dev_null_reads_as_an_empty_file_and_a_fifo_is_refused()
    {
        var dir = Directory.CreateTempSubdirectory("nn-mask-").FullName;
        try
        {
            var masked = Path.Combine(dir, "masked.conf");
            File.CreateSymbolicLink(masked, "/dev/null");
            Assert.Equal("", AtomicFileWriter.ReadOrNull(masked));
            Assert.Null(AtomicFileWriter.ReadOrNull(Path.Combine(dir, "absent.conf")));
            var e = Assert.Throws<ConfigFileException>(() => AtomicFileWriter.ReadOrNull("/dev/zero"));
            Assert.Contains("is not a regular file", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
