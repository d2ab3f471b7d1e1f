using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Preset.Moodboard.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class LedgerUsageIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_CreditLedger_UserId_Kind_CreatedAt_Credits",
                table: "CreditLedger",
                columns: new[] { "UserId", "Kind", "CreatedAt", "Credits" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CreditLedger_UserId_Kind_CreatedAt_Credits",
                table: "CreditLedger");
        }
    }
}
