-- CreateTable
CREATE TABLE "ResetLock" (
    "accountKey" TEXT NOT NULL PRIMARY KEY,
    "taskId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "ResetLock_taskId_key" ON "ResetLock"("taskId");

