namespace Preset.Moodboard.Features.Credits;

public static class CreditsExtensions
{
    public static void AddCredits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CreditOptions>().BindConfiguration(CreditOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PriceTable>();
        builder.Services.AddSingleton<CreditLedger>();
    }
}
