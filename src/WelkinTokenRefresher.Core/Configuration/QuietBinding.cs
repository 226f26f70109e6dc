using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using WelkinTokenRefresher.Configuration;

namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>Binds options without ever repeating a setting's value (see <see cref="UnconvertibleSetting"/>).</summary>
internal static class QuietBinding
{
    /// <param name="bind">The binder call, written at the call site so the configuration binding generator sees the options type.</param>
    public static OptionsBuilder<TOptions> BindQuietly<TOptions>(
        this OptionsBuilder<TOptions> builder, IConfigurationSection section, Action<IConfigurationSection, TOptions> bind)
        where TOptions : class =>
        builder.Configure(options =>
        {
            try
            {
                bind(section, options);
            }
            catch (InvalidOperationException e) when (UnconvertibleSetting.IsBinderFailure(e))
            {
                throw new InvalidOperationException(UnconvertibleSetting.Describe(e.Message, section, section.Path));
            }
        });
}
