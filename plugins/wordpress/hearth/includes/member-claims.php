<?php
/**
 * The claims of a member token for a WordPress user: stable id, name, email, avatar, roles
 * mapped from capabilities and tiers from active MemberPress memberships.
 *
 * @package Hearth
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Hearth roles from WordPress capabilities: administrators are Hearth admins, users who may
 * moderate comments are Hearth moderators, everyone else is a member.
 *
 * @param WP_User $user The user.
 * @return string[]
 */
function hearth_roles_for_user( $user ) {
	$roles = array( 'member' );
	if ( user_can( $user, 'moderate_comments' ) ) {
		$roles[] = 'moderator';
	}
	if ( user_can( $user, 'manage_options' ) ) {
		$roles[] = 'admin';
	}
	return $roles;
}

/**
 * Tiers from the user's active MemberPress memberships, as membership slugs; empty when
 * MemberPress is not active.
 *
 * @param WP_User $user The user.
 * @return string[]
 */
function hearth_tiers_for_user( $user ) {
	if ( ! class_exists( 'MeprUser' ) ) {
		return array();
	}
	$mepr_user = new MeprUser( $user->ID );
	$tiers     = array();
	foreach ( (array) $mepr_user->active_product_subscriptions( 'ids' ) as $product_id ) {
		$slug = get_post_field( 'post_name', (int) $product_id );
		$tiers[] = $slug ? $slug : 'membership-' . (int) $product_id;
	}
	return array_values( array_unique( $tiers ) );
}

/**
 * The member token's claims for a user.
 *
 * @param WP_User $user     The signed-in user.
 * @param string  $audience Hearth's audience (HEARTH_SSO_AUDIENCE, "hearth" by default).
 * @param int     $now      Current Unix time.
 * @return array
 */
function hearth_member_claims( $user, $audience, $now ) {
	$claims = array(
		'iss'    => untrailingslashit( home_url() ),
		'aud'    => $audience,
		'sub'    => (string) $user->ID,
		'name'   => $user->display_name ? $user->display_name : $user->user_login,
		'email'  => $user->user_email,
		'avatar' => get_avatar_url( $user->ID ),
		'roles'  => hearth_roles_for_user( $user ),
		'tiers'  => hearth_tiers_for_user( $user ),
		'locale' => str_replace( '_', '-', get_user_locale( $user ) ),
		'iat'    => $now,
		'exp'    => $now + 300,
		'jti'    => bin2hex( random_bytes( 16 ) ),
	);
	/**
	 * Filters the claims before they are signed, for sites with their own tiers.
	 *
	 * @param array   $claims The claims.
	 * @param WP_User $user   The user.
	 */
	return apply_filters( 'hearth_member_claims', $claims, $user );
}
