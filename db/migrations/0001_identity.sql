CREATE TABLE "used_token_ids" (
	"issuer" text NOT NULL,
	"token_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "used_token_ids_issuer_token_id_pk" PRIMARY KEY("issuer","token_id")
);
--> statement-breakpoint
CREATE INDEX "used_token_ids_expires_idx" ON "used_token_ids" USING btree ("expires_at");