using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Preset.Moodboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class AdminCredits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<int>(
                name: "MonthlyCredits",
                table: "UserQuotas",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<DateTime>(
                name: "UsageResetAt",
                table: "UserQuotas",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "Version",
                table: "UserQuotas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<DateTime>(
                name: "DisabledAt",
                table: "AspNetUsers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "BalanceSnapshots",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Reachable = table.Column<bool>(type: "INTEGER", nullable: false),
                    Credits = table.Column<int>(type: "INTEGER", nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BalanceSnapshots", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CreditSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    LowCreditThreshold = table.Column<int>(type: "INTEGER", nullable: true),
                    LowSince = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CreditSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LowCreditAlerts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Balance = table.Column<int>(type: "INTEGER", nullable: false),
                    Threshold = table.Column<int>(type: "INTEGER", nullable: false),
                    WebhookDeliveredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    WebhookAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    WebhookError = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LowCreditAlerts", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "CreditSettings",
                columns: new[] { "Id", "LowCreditThreshold", "LowSince", "UpdatedAt", "UpdatedBy" },
                values: new object[] { 1, null, null, new DateTime(2026, 12, 1, 0, 0, 0, 0, DateTimeKind.Utc), null });

            migrationBuilder.CreateIndex(
                name: "IX_GenerationTasks_CompletedAt",
                table: "GenerationTasks",
                column: "CompletedAt");

            migrationBuilder.CreateIndex(
                name: "IX_CreditLedger_CreatedAt_Kind",
                table: "CreditLedger",
                columns: new[] { "CreatedAt", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_BalanceSnapshots_At",
                table: "BalanceSnapshots",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_LowCreditAlerts_At",
                table: "LowCreditAlerts",
                column: "At");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BalanceSnapshots");

            migrationBuilder.DropTable(
                name: "CreditSettings");

            migrationBuilder.DropTable(
                name: "LowCreditAlerts");

            migrationBuilder.DropIndex(
                name: "IX_GenerationTasks_CompletedAt",
                table: "GenerationTasks");

            migrationBuilder.DropIndex(
                name: "IX_CreditLedger_CreatedAt_Kind",
                table: "CreditLedger");

            migrationBuilder.DropColumn(
                name: "UsageResetAt",
                table: "UserQuotas");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "UserQuotas");

            migrationBuilder.DropColumn(
                name: "DisabledAt",
                table: "AspNetUsers");

            migrationBuilder.AlterColumn<int>(
                name: "MonthlyCredits",
                table: "UserQuotas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "INTEGER",
                oldNullable: true);
        }
    }
}
