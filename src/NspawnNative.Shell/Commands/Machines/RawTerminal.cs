using Tmds.Linux;

namespace NspawnNative.Shell.Commands.Machines;

/// <summary>Puts a terminal into raw mode (as cfmakeraw(3) does) for a pty session and restores it on dispose, so
/// that keys such as Ctrl-C reach the program in the machine instead of this process.</summary>
internal sealed unsafe class RawTerminal : IDisposable
{
    // <termios.h> flag values on Linux (asm-generic/termbits.h).
    private const uint IGNBRK = 0x1, BRKINT = 0x2, PARMRK = 0x8, ISTRIP = 0x20, INLCR = 0x40, IGNCR = 0x80, ICRNL = 0x100, IXON = 0x400;
    private const uint OPOST = 0x1;
    private const uint ISIG = 0x1, ICANON = 0x2, ECHO = 0x8, ECHONL = 0x40, IEXTEN = 0x8000;
    private const uint CSIZE = 0x30, PARENB = 0x100, CS8 = 0x30;
    private const int VTIME = 5, VMIN = 6, TCSANOW = 0;

    private readonly int _fd;
    private readonly termios _saved;

    private RawTerminal(int fd, termios saved)
    {
        _fd = fd;
        _saved = saved;
    }

    /// <summary>Switches <paramref name="fd"/> to raw mode; null when it is not a terminal.</summary>
    public static RawTerminal? TryEnter(int fd)
    {
        termios saved;
        if (LibC.isatty(fd) != 1 || LibC.tcgetattr(fd, &saved) != 0)
            return null;
        termios raw = saved;
        raw.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
        raw.c_oflag &= ~OPOST;
        raw.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
        raw.c_cflag = (raw.c_cflag & ~(CSIZE | PARENB)) | CS8;
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        return LibC.tcsetattr(fd, TCSANOW, &raw) == 0 ? new RawTerminal(fd, saved) : null;
    }

    public void Dispose()
    {
        termios saved = _saved;
        LibC.tcsetattr(_fd, TCSANOW, &saved);
    }
}
