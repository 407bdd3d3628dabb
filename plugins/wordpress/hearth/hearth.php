<?php
/**
 * Plugin Name: Hearth community threads
 * Description: Member discussions from a self-hosted Hearth server under your posts. Signs short-lived member tokens for logged-in users and adds the [hearth_thread] shortcode.
 * Version: 0.1.0
 * Requires at least: 6.5
 * Requires PHP: 7.4
 * License: AGPL-3.0-only
 *
 * Configure in wp-config.php:
 *   define( 'HEARTH_SERVER_URL', 'https://community.example.com' );
 *   define( 'HEARTH_SSO_SECRET', '…the same secret as on the Hearth server…' );
 *   define( 'HEARTH_SSO_KID', '' );          // optional: the kid Hearth knows the secret by
 *   define( 'HEARTH_SSO_AUDIENCE', 'hearth' ); // optional
 *   define( 'HEARTH_UPGRADE_URL', 'https://example.com/register/gold/' ); // optional
 *
 * @package Hearth
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

require_once __DIR__ . '/includes/class-hearth-jwt.php';
require_once __DIR__ . '/includes/member-claims.php';

/**
 * GET /wp-json/hearth/v1/token: a member token for the logged-in user, valid five minutes.
 * WordPress authenticates the cookie only with a REST nonce, which the shortcode puts in
 * the token URL; without it the user is anonymous and gets 401.
 *
 * @return WP_REST_Response|WP_Error
 */
function hearth_rest_token() {
	if ( ! defined( 'HEARTH_SSO_SECRET' ) || strlen( HEARTH_SSO_SECRET ) < 32 ) {
		return new WP_Error( 'hearth_not_configured', 'HEARTH_SSO_SECRET is not set (at least 32 characters).', array( 'status' => 500 ) );
	}
	$user     = wp_get_current_user();
	$audience = defined( 'HEARTH_SSO_AUDIENCE' ) ? HEARTH_SSO_AUDIENCE : 'hearth';
	$kid      = defined( 'HEARTH_SSO_KID' ) ? HEARTH_SSO_KID : '';
	$token    = Hearth_JWT::sign( hearth_member_claims( $user, $audience, time() ), HEARTH_SSO_SECRET, $kid );
	$response = new WP_REST_Response( array( 'token' => $token ) );
	$response->header( 'Cache-Control', 'no-store, private' );
	return $response;
}

add_action(
	'rest_api_init',
	function () {
		register_rest_route(
			'hearth/v1',
			'/token',
			array(
				'methods'             => 'GET',
				'callback'            => 'hearth_rest_token',
				'permission_callback' => function () {
					return is_user_logged_in();
				},
			)
		);
	}
);

/**
 * [hearth_thread key="…" upgrade_url="…"]: the thread widget for this post. The key defaults
 * to the post's id; logged-in users get a token URL, visitors read public threads.
 *
 * @param array|string $atts Shortcode attributes.
 * @return string
 */
function hearth_thread_shortcode( $atts ) {
	$atts   = shortcode_atts(
		array(
			'key'         => 'wp-' . get_the_ID(),
			'upgrade_url' => defined( 'HEARTH_UPGRADE_URL' ) ? HEARTH_UPGRADE_URL : '',
		),
		$atts,
		'hearth_thread'
	);
	$server = defined( 'HEARTH_SERVER_URL' ) ? untrailingslashit( HEARTH_SERVER_URL ) : '';
	if ( '' === $server ) {
		return current_user_can( 'manage_options' ) ? '<p>Hearth: set HEARTH_SERVER_URL in wp-config.php.</p>' : '';
	}
	$attributes = array(
		'thread' => $atts['key'],
		'server' => $server,
		'lang'   => str_replace( '_', '-', get_locale() ),
	);
	if ( is_user_logged_in() ) {
		$attributes['token-url'] = add_query_arg( '_wpnonce', wp_create_nonce( 'wp_rest' ), rest_url( 'hearth/v1/token' ) );
	}
	if ( '' !== $atts['upgrade_url'] ) {
		$attributes['upgrade-url'] = $atts['upgrade_url'];
	}
	$html = '';
	foreach ( $attributes as $name => $value ) {
		$html .= ' ' . $name . '="' . esc_attr( $value ) . '"';
	}
	wp_enqueue_script_module( 'hearth-widgets', $server . '/widgets/hearth.js', array(), null );
	return '<hearth-thread' . $html . '></hearth-thread>';
}
add_shortcode( 'hearth_thread', 'hearth_thread_shortcode' );
