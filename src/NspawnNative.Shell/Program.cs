using NspawnNative.Shell;

return await ShellApp.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
