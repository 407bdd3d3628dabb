CREATE TABLE "comment_revisions" (
	"thread_id" bigint NOT NULL,
	"comment_id" bigint NOT NULL,
	"revision" integer NOT NULL,
	"body" text NOT NULL,
	"edited_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "comment_revisions_thread_id_comment_id_revision_pk" PRIMARY KEY("thread_id","comment_id","revision")
);
--> statement-breakpoint
CREATE TABLE "comments" (
	"thread_id" bigint NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "comments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"parent_id" bigint,
	"root_id" bigint,
	"path" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	"author_id" uuid NOT NULL,
	"body" text NOT NULL,
	"html" text NOT NULL,
	"status" text DEFAULT 'published' NOT NULL,
	"reactions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reaction_count" integer DEFAULT 0 NOT NULL,
	"pinned_at" timestamp with time zone,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"edited_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "comments_thread_id_id_pk" PRIMARY KEY("thread_id","id")
);
--> statement-breakpoint
CREATE TABLE "members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issuer" text NOT NULL,
	"subject" text NOT NULL,
	"handle" text NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"avatar" text,
	"roles" text[] DEFAULT '{}'::text[] NOT NULL,
	"tiers" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reactions" (
	"thread_id" bigint NOT NULL,
	"comment_id" bigint NOT NULL,
	"member_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reactions_thread_id_comment_id_member_id_kind_pk" PRIMARY KEY("thread_id","comment_id","member_id","kind")
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "threads" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "threads_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"key" text NOT NULL,
	"title" text,
	"url" text,
	"read" jsonb DEFAULT '"public"'::jsonb NOT NULL,
	"write" jsonb DEFAULT '"members"'::jsonb NOT NULL,
	"federate" boolean DEFAULT false NOT NULL,
	"premoderated" boolean DEFAULT false NOT NULL,
	"locked" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "comment_revisions" ADD CONSTRAINT "comment_revisions_edited_by_members_id_fk" FOREIGN KEY ("edited_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_thread_id_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."threads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_author_id_members_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reactions" ADD CONSTRAINT "reactions_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "comments_id_idx" ON "comments" USING btree ("id");--> statement-breakpoint
CREATE INDEX "comments_top_level_idx" ON "comments" USING btree ("thread_id","id") WHERE "comments"."parent_id" is null;--> statement-breakpoint
CREATE INDEX "comments_top_level_score_idx" ON "comments" USING btree ("thread_id","reaction_count" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "comments"."parent_id" is null;--> statement-breakpoint
CREATE INDEX "comments_root_idx" ON "comments" USING btree ("thread_id",coalesce("root_id", "id"));--> statement-breakpoint
CREATE INDEX "comments_author_idx" ON "comments" USING btree ("author_id","created_at");--> statement-breakpoint
CREATE INDEX "comments_published_idx" ON "comments" USING btree ("thread_id") WHERE "comments"."status" = 'published';--> statement-breakpoint
CREATE UNIQUE INDEX "comments_idempotency_key" ON "comments" USING btree ("thread_id","author_id","idempotency_key") WHERE "comments"."idempotency_key" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "members_issuer_subject_key" ON "members" USING btree ("issuer","subject");--> statement-breakpoint
CREATE UNIQUE INDEX "members_handle_key" ON "members" USING btree ("handle");--> statement-breakpoint
CREATE INDEX "reactions_member_idx" ON "reactions" USING btree ("member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "threads_key_key" ON "threads" USING btree ("key");