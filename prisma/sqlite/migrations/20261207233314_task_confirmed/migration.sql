-- AlterTable
ALTER TABLE "Task" ADD COLUMN "confirmed" BOOLEAN;

