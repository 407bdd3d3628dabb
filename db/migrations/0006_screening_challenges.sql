CREATE TABLE "screening_challenges" (
	"signature" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "screening_challenges_expires_idx" ON "screening_challenges" USING btree ("expires_at");