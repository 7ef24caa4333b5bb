-- CreateTable
CREATE TABLE "ResetLock" (
    "accountKey" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ResetLock_pkey" PRIMARY KEY ("accountKey")
);

-- CreateIndex
CREATE UNIQUE INDEX "ResetLock_taskId_key" ON "ResetLock"("taskId");

