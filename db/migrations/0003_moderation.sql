CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"actor_id" uuid,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "flags" (
	"thread_id" bigint NOT NULL,
	"comment_id" bigint NOT NULL,
	"member_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"text" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "flags_thread_id_comment_id_member_id_pk" PRIMARY KEY("thread_id","comment_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "member_moderation" (
	"member_id" uuid PRIMARY KEY NOT NULL,
	"banned_until" timestamp with time zone,
	"ban_reason" text,
	"screening_verdict" text,
	"screening_score" integer,
	"screening_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"screened_at" timestamp with time zone,
	"screened_comments" integer DEFAULT 0 NOT NULL,
	"moderator_verdict" text,
	"moderator_verdict_by" uuid,
	"moderator_verdict_at" timestamp with time zone,
	"approved_comments" integer DEFAULT 0 NOT NULL,
	"signup_ip" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "moderation_queue" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "moderation_queue_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"thread_id" bigint,
	"comment_id" bigint,
	"member_id" uuid NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "role_grants" (
	"member_id" uuid NOT NULL,
	"role" text NOT NULL,
	"granted_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "role_grants_member_id_role_pk" PRIMARY KEY("member_id","role")
);
--> statement-breakpoint
CREATE TABLE "screening_signups" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "screening_signups_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"ip" text NOT NULL,
	"subnet" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "screening_texts" (
	"hash" text NOT NULL,
	"member_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "screening_texts_hash_member_id_pk" PRIMARY KEY("hash","member_id")
);
--> statement-breakpoint
CREATE TABLE "word_filters" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "word_filters_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"pattern" text NOT NULL,
	"action" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "flags" ADD CONSTRAINT "flags_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_moderation" ADD CONSTRAINT "member_moderation_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_grants" ADD CONSTRAINT "role_grants_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("target_type","target_id","id");--> statement-breakpoint
CREATE INDEX "moderation_queue_open_idx" ON "moderation_queue" USING btree ("id") WHERE "moderation_queue"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "moderation_queue_open_reason_idx" ON "moderation_queue" USING btree ("reason","id") WHERE "moderation_queue"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "moderation_queue_open_thread_idx" ON "moderation_queue" USING btree ("thread_id","id") WHERE "moderation_queue"."resolved_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "moderation_queue_open_comment_key" ON "moderation_queue" USING btree ("comment_id") WHERE "moderation_queue"."resolved_at" is null and "moderation_queue"."kind" = 'comment';--> statement-breakpoint
CREATE UNIQUE INDEX "moderation_queue_open_member_key" ON "moderation_queue" USING btree ("member_id") WHERE "moderation_queue"."resolved_at" is null and "moderation_queue"."kind" = 'member';--> statement-breakpoint
CREATE INDEX "screening_signups_ip_idx" ON "screening_signups" USING btree ("ip","created_at");--> statement-breakpoint
CREATE INDEX "screening_signups_subnet_idx" ON "screening_signups" USING btree ("subnet","created_at");