namespace Preset.Moodboard.Features.Generation;

/// <summary>How generation work is triggered in the background; our own tables stay the source of truth.</summary>
public interface IGenerationScheduler
{
    void Submit(Guid taskId, TimeSpan? delay = null);
    void Poll(Guid taskId, TimeSpan delay);
    void ProcessReceipt(long receiptId);
}
