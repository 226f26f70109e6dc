using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace WelkinTokenRefresher.Cli.Composition;

/// <summary>Validates the options a command needs before it touches the network, collecting every problem at once.</summary>
internal sealed class OptionsCheck(IServiceProvider services)
{
    private readonly List<string> _problems = [];

    public IReadOnlyList<string> Problems => _problems;

    public OptionsCheck Require<TOptions>()
        where TOptions : class =>
        Require(() => services.GetRequiredService<IOptions<TOptions>>().Value);

    /// <summary>Reads options (named ones too) and collects their validation problems.</summary>
    public OptionsCheck Require(Func<object> read)
    {
        try
        {
            _ = read();
        }
        catch (OptionsValidationException e)
        {
            _problems.AddRange(e.Failures);
        }
        catch (InvalidOperationException e)
        {
            // The binder could not convert a value, e.g. a malformed URL; its message names the key.
            _problems.Add(e.Message);
        }

        return this;
    }
}
