using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Preset.Moodboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class ExactlyOnce : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CallbackTokens",
                columns: table => new
                {
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TaskId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    NanoBananaTaskId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    IssuedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CallbackTokens", x => x.Hash);
                    table.ForeignKey(
                        name: "FK_CallbackTokens_GenerationTasks_TaskId",
                        column: x => x.TaskId,
                        principalTable: "GenerationTasks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Every token issued so far stays valid: the one hash each task kept becomes its attempt's token.
            migrationBuilder.Sql(
                "INSERT INTO CallbackTokens (Hash, TaskId, Attempt, NanoBananaTaskId, IssuedAt) " +
                "SELECT CallbackTokenHash, Id, MAX(SubmitAttempts, 1), NanoBananaTaskId, UpdatedAt FROM GenerationTasks WHERE CallbackTokenHash IS NOT NULL;");

            // A download the upgrade interrupted kept no result address: back to polling, which fetches it again.
            migrationBuilder.Sql("UPDATE GenerationTasks SET State = 2 WHERE State = 3;");

            migrationBuilder.DropIndex(
                name: "IX_GenerationTasks_CallbackTokenHash",
                table: "GenerationTasks");

            migrationBuilder.DropIndex(
                name: "IX_CallbackReceipts_TaskId",
                table: "CallbackReceipts");

            // SQLite drops the column in place (3.35+); EF's DropColumn would rebuild the table outside the migration's transaction.
            migrationBuilder.Sql("ALTER TABLE \"GenerationTasks\" DROP COLUMN \"CallbackTokenHash\";");

            migrationBuilder.AddColumn<string>(
                name: "LeaseOwner",
                table: "GenerationTasks",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LeaseUntil",
                table: "GenerationTasks",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResultUrls",
                table: "GenerationTasks",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<int>(
                name: "Attempt",
                table: "CallbackReceipts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "BodyHash",
                table: "CallbackReceipts",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Duplicates",
                table: "CallbackReceipts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastReceivedAt",
                table: "CallbackReceipts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ProcessAttempts",
                table: "CallbackReceipts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_CallbackReceipts_TaskId_BodyHash",
                table: "CallbackReceipts",
                columns: new[] { "TaskId", "BodyHash" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CallbackTokens_TaskId_Attempt",
                table: "CallbackTokens",
                columns: new[] { "TaskId", "Attempt" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CallbackTokens");

            migrationBuilder.DropIndex(
                name: "IX_CallbackReceipts_TaskId_BodyHash",
                table: "CallbackReceipts");

            migrationBuilder.DropColumn(
                name: "LeaseOwner",
                table: "GenerationTasks");

            migrationBuilder.DropColumn(
                name: "LeaseUntil",
                table: "GenerationTasks");

            migrationBuilder.DropColumn(
                name: "ResultUrls",
                table: "GenerationTasks");

            migrationBuilder.DropColumn(
                name: "Attempt",
                table: "CallbackReceipts");

            migrationBuilder.DropColumn(
                name: "BodyHash",
                table: "CallbackReceipts");

            migrationBuilder.DropColumn(
                name: "Duplicates",
                table: "CallbackReceipts");

            migrationBuilder.DropColumn(
                name: "LastReceivedAt",
                table: "CallbackReceipts");

            migrationBuilder.DropColumn(
                name: "ProcessAttempts",
                table: "CallbackReceipts");

            migrationBuilder.AddColumn<string>(
                name: "CallbackTokenHash",
                table: "GenerationTasks",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_GenerationTasks_CallbackTokenHash",
                table: "GenerationTasks",
                column: "CallbackTokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CallbackReceipts_TaskId",
                table: "CallbackReceipts",
                column: "TaskId");
        }
    }
}
