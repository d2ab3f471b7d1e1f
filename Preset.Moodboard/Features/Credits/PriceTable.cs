using Microsoft.Extensions.Options;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Features.Credits;

/// <summary>The one place that says what images cost.</summary>
public sealed class PriceTable(IOptionsMonitor<NanoBananaOptions> options)
{
    public int CreditsPerImage => options.CurrentValue.CreditsPerImage;

    public int CostOf(int images) => images * CreditsPerImage;
}
