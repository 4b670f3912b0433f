namespace NspawnNative.Interop.Config;

/// <summary>A configuration file could not be read, written or edited; nothing was changed unless said.</summary>
public class ConfigFileException : NspawnNativeException
{
    /// <summary>Creates the exception with an operator-facing message.</summary>
    public ConfigFileException(string message) : base(message) { }

    /// <summary>Creates the exception with an operator-facing message and the failure that caused it.</summary>
    public ConfigFileException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>A file changed on disk between reading it and writing it; the write was refused.</summary>
public sealed class ConfigChangedOnDiskException : ConfigFileException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    /// <param name="path">The file that changed.</param>
    public ConfigChangedOnDiskException(string path)
        : base($"File '{path}' changed on disk since it was read, so it was not written; run the command again.")
    {
        Path = path;
    }

    /// <summary>The file that changed.</summary>
    public string Path { get; }
}
